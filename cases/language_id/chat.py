"""A second real corpus that installs offline: the dialogue YAML inside the chatterbot-corpus wheel.

Chat lines written by volunteers in about 28 languages: short, conversational, full of names and
loanwords; a different kind of text from Django's UI strings. Every rule that drops or changes a line
is here, in order, so the README can cite it."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from .catalogues import clean

# Folder -> the variety it is read as. One variety per folder; 'hinglish' (Hindi written in Latin
# script) has no label of its own in any identifier, so it is left out.
VARIETIES: dict[str, str] = {
    "bengali": "bn", "chinese": "zh_Hans", "dutch": "nl", "english": "en", "french": "fr", "german": "de",
    "hebrew": "he", "hindi": "hi", "indonesian": "id", "italian": "it", "japanese": "ja", "korean": "ko",
    "marathi": "mr", "oriya": "or", "persian": "fa", "portuguese": "pt", "russian": "ru", "spanish": "es",
    "swedish": "sv", "tamil": "ta", "telugu": "te", "thai": "th", "traditionalchinese": "zh_Hant",
    "turkish": "tr", "ukrainian": "uk", "urdu": "ur", "yoruba": "yo",
}
MIN_STRINGS = 60
_WORD = re.compile(r"[^\W\d_]+")  # distinct lines a variety needs (the corpus is smaller than Django's catalogues)


def corpus_root() -> Path:
    import chatterbot_corpus

    return Path(chatterbot_corpus.__file__).parent / "data"


def _lines(node: object) -> list[str]:
    """Every string inside a YAML conversation tree (lists of lists of utterances)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, (list, tuple)):
        return [s for item in node for s in _lines(item)]
    return []


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def load(root: Path | None = None) -> dict[str, list[str]]:
    """Variety -> its distinct cleaned lines, sorted.

    Rules, in order: read every utterance of every `conversations` list (categories are not text);
    clean() as for Django; keep a line when it still has at least 2 letters; in every folder but
    'english', drop a line every word of which also occurs in the english folder (an untranslated
    line: the swedish folder, for one, holds many; this also drops 'OK', 'python' and the like, which
    are no evidence of a language); keep varieties with at least MIN_STRINGS lines."""
    import yaml

    root = root or corpus_root()
    texts: dict[str, set[str]] = defaultdict(set)
    for folder, variety in VARIETIES.items():
        for path in sorted((root / folder).glob("*.yml")):
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for line in _lines(doc.get("conversations", [])):
                text = clean(line)
                if sum(ch.isalpha() for ch in text) >= 2:
                    texts[variety].add(text)
    english = {w for line in texts.get("en", ()) for w in _words(line)}
    out = {}
    for variety in VARIETIES.values():
        kept = {t for t in texts.get(variety, ()) if variety == "en" or not _words(t) <= english}
        if len(kept) >= MIN_STRINGS:
            out[variety] = sorted(kept)
    return out


# Gold labels of the varieties (ISO 639-1, as langid.py writes them).
LABELS = {v: v.split("_")[0] for v in VARIETIES.values()}
