"""The text a user actually types: length, code-switching, case, folded diacritics and typos.
Each function takes its random generator, so a text is a pure function of (strings, setting, seed)."""

from __future__ import annotations

import unicodedata

import numpy as np


def build(strings: list[str], length: int, rng: np.random.Generator) -> str:
    """Join randomly chosen strings of one language with spaces until `length` characters, then cut there."""
    parts: list[str] = []
    size = 0
    for i in rng.permutation(len(strings)):
        parts.append(strings[i])
        size += len(strings[i]) + 1
        if size > length:
            break
    return " ".join(parts)[:length].strip() or " ".join(parts)[:length]


def code_switch(text: str, other: str, share: float, rng: np.random.Generator) -> str:
    """Replace a contiguous span of round(share * len) characters with a span of another language."""
    n = round(share * len(text))
    if n <= 0 or not other:
        return text
    n = min(n, len(text))
    start = int(rng.integers(0, len(text) - n + 1))
    return text[:start] + other[:n] + text[start + n:]


def recase(text: str, case: str) -> str:
    return {"as_is": text, "lower": text.lower(), "upper": text.upper()}[case]


def fold(text: str) -> str:
    """Strip combining marks after canonical decomposition (é -> e, š -> s, й -> и), as phone keyboards
    without diacritics produce; characters with no decomposition (ø, ß, ł) stay."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def typos(text: str, rate: float, rng: np.random.Generator) -> str:
    """Edit each letter with probability `rate`: substitute, delete, insert or swap with its neighbour,
    drawing new letters from the text's own letters so the script does not change."""
    if rate <= 0:
        return text
    alphabet = sorted({ch for ch in text if ch.isalpha()})
    if not alphabet:
        return text
    out: list[str] = []
    chars = list(text)
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch.isalpha() and rng.random() < rate:
            kind = int(rng.integers(0, 4))
            letter = alphabet[int(rng.integers(0, len(alphabet)))]
            if kind == 0:
                out.append(letter)
            elif kind == 2:
                out += [ch, letter]
            elif kind == 3 and i + 1 < len(chars):
                out += [chars[i + 1], ch]
                i += 1
            # kind 1 (or a swap at the end): the letter is deleted
        else:
            out.append(ch)
        i += 1
    return "".join(out)
