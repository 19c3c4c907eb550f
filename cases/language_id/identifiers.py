"""Four off-the-shelf identifiers behind one interface, each with the model its own package ships.

`predict(text, candidates)` returns (label, confidence) with labels in ISO 639-1 as langid.py writes
them. Restricting the candidate set uses the library's own API where it has one: langid.py's
`set_languages`, langdetect's prior map (zero for every other language), lingua's detector built from those
languages only. CLD2 has none: the best-ranked label inside the set is taken from its top three, and a text
whose three are all outside the set is labelled UNKNOWN (counted as `abstained`)."""

from __future__ import annotations

from collections.abc import Iterable

UNKNOWN = "un"
DIGITS = 6  # confidences are rounded to this many decimals (see _first)
# Labels that name the same language for our gold labels: Norwegian 'no' is Bokmål 'nb' here
# (Django's nb catalogue); CLD2 writes Hebrew 'iw' and traditional Chinese 'zh-Hant'.
ALIASES = {"no": "nb", "iw": "he", "zh-Hant": "zh", "zh-cn": "zh", "zh-tw": "zh", "jw": "jv"}


def normal(label: str) -> str:
    return ALIASES.get(label, label)


class Langid:
    """langid.py (Lui & Baldwin 2012): naive Bayes over byte n-grams, 97 languages."""

    name = "langid"

    def __init__(self) -> None:
        from langid.langid import LanguageIdentifier, model

        self.model = LanguageIdentifier.from_modelstring(model, norm_probs=True)
        self.labels = labels("langid", self.model.nb_classes)
        self.full = tuple(self.model.nb_classes)
        self._current: tuple[str, ...] | None = None

    def _restrict(self, candidates: tuple[str, ...] | None) -> None:
        wanted = None if candidates is None else tuple(sorted({c for c in self.full if normal(c) in candidates}))
        if wanted != self._current:
            self.model.set_languages(list(wanted) if wanted is not None else None)
            self._current = wanted

    def predict(self, text: str, candidates: tuple[str, ...] | None = None) -> tuple[str, float]:
        self._restrict(candidates)
        label, prob = self.model.classify(text)
        return normal(label), round(float(prob), DIGITS)


class Langdetect:
    """langdetect (Shuyo's language-detection, ported): random-sampled n-gram naive Bayes, 55 languages.
    Its detector draws random n-grams; `seed` fixes them (the library default, None, does not)."""

    name = "langdetect"

    def __init__(self, seed: int = 0) -> None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        self.factory = DetectorFactory()
        self.factory.load_profile(PROFILES_DIRECTORY)
        self.labels = labels("langdetect")
        self.seed = seed

    def predict(self, text: str, candidates: tuple[str, ...] | None = None, seed: int | None = None) -> tuple[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        self.factory.set_seed(self.seed if seed is None else seed)
        detector = self.factory.create()
        if candidates is not None:  # the library's own restriction: a zero prior for every other language
            allowed = {code: 1.0 for code in self.factory.get_lang_list() if normal(code) in candidates}
            if not allowed:
                return UNKNOWN, 0.0
            detector.set_prior_map(allowed)
        detector.append(text)
        try:
            ranked = [(normal(p.lang), float(p.prob)) for p in detector.get_probabilities()]
        except LangDetectException:  # no usable feature in the text (digits, punctuation only)
            return UNKNOWN, 0.0
        return _first(ranked, candidates)


class Cld2:
    """CLD2 (Google's Compact Language Detector 2, via pycld2): quadgram scoring; pycld2 builds its full table of
    165 detectable languages."""

    name = "cld2"

    def __init__(self) -> None:
        import pycld2

        self.cld2 = pycld2
        self.labels = labels("cld2")

    def predict(self, text: str, candidates: tuple[str, ...] | None = None) -> tuple[str, float]:
        try:
            _, _, details = self.cld2.detect(text, bestEffort=True)
        except self.cld2.error:
            return UNKNOWN, 0.0
        ranked = [(normal(code), percent / 100.0) for _, code, percent, _ in details if code != UNKNOWN]
        return _first(ranked, candidates)


class Lingua:
    """lingua-language-detector (Stahl): n-gram models up to 5-grams plus rules, 75 languages,
    high-accuracy mode with every language loaded."""

    name = "lingua"

    def __init__(self) -> None:
        from lingua import LanguageDetectorBuilder

        self.detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
        self.labels = labels("lingua")
        self._restricted: dict[tuple[str, ...], object] = {}  # candidates -> a detector of those languages only

    def _for(self, candidates: tuple[str, ...] | None):  # noqa: ANN202 - a lingua LanguageDetector
        if candidates is None:
            return self.detector
        key = tuple(sorted(c for c in candidates if c in self.labels))
        if key not in self._restricted:
            from lingua import IsoCode639_1, LanguageDetectorBuilder

            codes = [getattr(IsoCode639_1, c.upper()) for c in key]
            builder = (LanguageDetectorBuilder.from_iso_codes_639_1(*codes) if len(codes) > 1 else None)
            self._restricted[key] = builder.with_preloaded_language_models().build() if builder else key
        return self._restricted[key]

    def predict(self, text: str, candidates: tuple[str, ...] | None = None) -> tuple[str, float]:
        detector = self._for(candidates)
        if isinstance(detector, tuple):  # zero or one candidate: lingua needs two languages to build a detector
            return (detector[0], 1.0) if detector else (UNKNOWN, 0.0)
        ranked = [(v.language.iso_code_639_1.name.lower(), float(v.value))
                  for v in detector.compute_language_confidence_values(text)]
        return _first([r for r in ranked if r[1] > 0], candidates)


def labels(name: str, langid_classes: Iterable[str] | None = None) -> frozenset[str]:
    """The labels an identifier can name, as gold labels, read from its package without building its
    model (lingua's takes ~8 s and 1.3 GB), so every trial knows every identifier's coverage."""
    if name == "langid":
        if langid_classes is None:
            from langid.langid import LanguageIdentifier, model

            langid_classes = LanguageIdentifier.from_modelstring(model).nb_classes
        return frozenset(normal(c) for c in langid_classes)
    if name == "langdetect":
        import os

        from langdetect.detector_factory import PROFILES_DIRECTORY

        return frozenset(normal(c) for c in os.listdir(PROFILES_DIRECTORY))
    if name == "cld2":
        import pycld2

        return frozenset(normal(c) for _, c in pycld2.LANGUAGES if not c.startswith(("xx-", "zz")))
    if name == "lingua":
        from lingua import Language

        return frozenset(lang.iso_code_639_1.name.lower() for lang in Language.all())
    raise KeyError(name)


def _first(ranked: Iterable[tuple[str, float]], candidates: tuple[str, ...] | None) -> tuple[str, float]:
    """The best label inside the candidates. Scores are rounded to 6 decimals and ties broken by label:
    lingua's confidences differ in the last bits from call to call, and a result must not."""
    for label, score in sorted(((lb, round(sc, DIGITS)) for lb, sc in ranked), key=lambda r: (-r[1], r[0])):
        if candidates is None or label in candidates:
            return label, score
    return UNKNOWN, 0.0


KINDS = {"langid": Langid, "langdetect": Langdetect, "cld2": Cld2, "lingua": Lingua}


class Identifiers:
    """Loads each identifier on first use (lingua takes ~8 s and 1.3 GB), then keeps it for the process.
    Loading is the only state kept, and it changes no answer."""

    def __init__(self) -> None:
        self._loaded: dict[str, object] = {}

    def __getitem__(self, name: str):  # noqa: ANN204 - one of the classes above
        if name not in self._loaded:
            self._loaded[name] = KINDS[name]()
        return self._loaded[name]
