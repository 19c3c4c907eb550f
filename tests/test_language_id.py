"""The language-id case: its filtering rules, its noise, its identifiers, determinism, and a quick-plan run."""

import json

import numpy as np
import pytest

from cases.language_id import catalogues, noise
from cases.language_id.case import LanguageId
from cases.language_id.identifiers import Cld2, Langid, normal
from mummybench.cli import main
from mummybench.testing import run_notebook


def test_clean_drops_placeholders_markup_and_urls():
    text = "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d). See <a href=\"x\">docs</a> " \
           "at https://example.com/x or {name}&nbsp;%s"
    assert catalogues.clean(text) == "Ensure this value has at most characters (it has ). See docs at or"


def test_load_keeps_real_translations_only(tmp_path):
    """Untranslated and fuzzy entries are skipped; English comes from the msgids; tiny catalogues are dropped."""
    import polib

    folder = tmp_path / "conf" / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    for i in range(catalogues.MIN_STRINGS):
        po.append(polib.POEntry(msgid=f"Save item {i}", msgstr=f"Eintrag {i} speichern"))
    po.append(polib.POEntry(msgid="Left as is", msgstr="Left as is"))
    fuzzy = polib.POEntry(msgid="Fuzzy", msgstr="Unscharf", flags=["fuzzy"])
    po.append(fuzzy)
    po.save(str(folder / "django.po"))
    loaded = catalogues.load(tmp_path)
    assert set(loaded) == {"de", "en"} or set(loaded) == {"de"}
    assert "Left as is" not in loaded["de"] and "Unscharf" not in loaded["de"]
    assert len(loaded["de"]) == catalogues.MIN_STRINGS


def test_noise_functions():
    rng = np.random.default_rng(0)
    assert noise.fold("Čeština, Ærø, žluťoučký й") == "Cestina, Ærø, zlutoucky и"
    assert noise.recase("Ab", "upper") == "AB" and noise.recase("Ab", "lower") == "ab"
    assert len(noise.build(["one two", "three", "four five six"], 12, rng)) == 12
    switched = noise.code_switch("a" * 100, "b" * 100, 0.3, rng)
    assert switched.count("b") == 30 and len(switched) == 100
    typed = noise.typos("abcdefghij" * 20, 0.3, np.random.default_rng(1))
    assert typed != "abcdefghij" * 20 and set(typed) <= set("abcdefghij")
    assert noise.typos("unchanged", 0.0, rng) == "unchanged"


def test_identifier_labels_and_restriction():
    """Aliases map to langid's labels; set_languages restricts langid to the candidates."""
    assert normal("no") == "nb" and normal("iw") == "he" and normal("zh-Hant") == "zh"
    langid = Langid()
    assert len(langid.model.nb_classes) == 97 and "nb" in langid.labels
    text = "Dette er en kort tekst på norsk bokmål om været i dag."
    label, _ = langid.predict(text, ("da", "sv"))
    assert label in ("da", "sv")
    assert langid.predict(text)[0] in ("nb", "da", "nn")  # full set again after a restriction
    assert Cld2().predict("")[0] == "un"


@pytest.fixture(scope="module")
def data():
    return LanguageId().prepare()


def test_trial_is_deterministic_and_paired(data):
    """The same (setting, seed) gives identical metrics; a text depends on (seed, variety, number) alone."""
    case = LanguageId()
    setting = case.setting({"text_length": 40, "typo_rate": 0.05, "code_switch": 0.2})
    a, b = case.trial(data, setting, 3), case.trial(data, setting, 3)
    assert a.metrics == b.metrics and a.examples == b.examples
    variety = data.varieties("django")[5]
    assert case._text(data, "django", variety, setting, [3, 5, 0]) == case._text(data, "django", variety, setting, [3, 5, 0])


def test_every_identifier_is_scored_on_the_languages_all_four_name(data):
    """Like for like: the test set is the corpus's varieties every identifier can name, the same for all four;
    each one's coverage of the whole corpus is reported on its own."""
    case = LanguageId()
    shared = data.shared("django")
    assert 40 <= len(shared) < len(data.varieties("django"))
    assert all(catalogues.LABELS[v] in named for v in shared for named in data.labels.values())
    assert "bs" not in shared and "ms" not in shared  # langdetect cannot name them
    outcomes = {name: case.trial(data, case.setting({"implementation": name, "text_length": 20}), 0)
                for name in ("langid", "langdetect")}
    assert outcomes["langid"].population == outcomes["langdetect"].population
    assert len(outcomes["langid"].population) == len(shared) * 8
    assert outcomes["langid"].metrics["coverage"] == 1.0 and outcomes["langdetect"].metrics["coverage"] < 0.8


def test_no_treatment_axis_changes_the_scored_texts(data):
    """The contract's like-for-like check on the real case: only `corpus` (declared population=True) may change
    which texts are scored."""
    from mummybench.testing import same_population_violations

    case = LanguageId()
    case.prepare = lambda: data  # reuse the loaded corpora and identifiers
    assert same_population_violations(case, case.setting({"text_length": 30})) == []
    django = case.trial(data, case.setting({"text_length": 30}), 0).population
    chatterbot = case.trial(data, case.setting({"text_length": 30, "corpus": "chatterbot"}), 0).population
    assert set(django).isdisjoint(chatterbot)


def test_group_candidates_score_every_text(data):
    """candidates='group' restricts only the texts of confusable varieties, and scores the same texts as 'all';
    langdetect reports how often a reseed flips it."""
    case = LanguageId()
    full = case.trial(data, case.setting({"text_length": 30}), 0)
    group = case.trial(data, case.setting({"candidates": "group", "text_length": 30}), 0)
    assert group.population == full.population
    outside = [v for v in full.examples["per_variety"] if v not in catalogues.GROUP_VARIETIES]
    assert all(group.examples["per_variety"][v] == full.examples["per_variety"][v] for v in outside)
    assert group.metrics["accuracy_confusable"] >= full.metrics["accuracy_confusable"]
    ld = case.trial(data, case.setting({"implementation": "langdetect", "text_length": 10}), 0)
    assert 0.0 < ld.metrics["unstable"] < 0.5


def test_every_identifier_restricts_the_candidates_with_its_own_api_where_it_has_one(data):
    """langid (set_languages), langdetect (a prior map) and lingua (a detector of those languages) answer inside
    the candidates; CLD2, which has no such switch, answers inside them or abstains (UNKNOWN)."""
    from cases.language_id.identifiers import UNKNOWN

    text = "Dette er en kort tekst på norsk bokmål om været i dag."
    for name in ("langid", "langdetect", "lingua"):
        assert data.identifiers[name].predict(text, ("da", "sv"))[0] in ("da", "sv"), name
    assert data.identifiers["cld2"].predict(text, ("da", "sv"))[0] in ("da", "sv", UNKNOWN)
    assert data.identifiers["lingua"].predict(text, ("sv",)) == ("sv", 1.0)


def test_markup_and_boundary_keep_the_visible_text():
    rng = np.random.default_rng(0)
    text = "Bitte geben Sie ein gültiges Datum ein & speichern"
    inline = noise.markup(text, "inline", rng)
    page = noise.markup(text, "page", rng)
    assert catalogues.clean(inline) == catalogues.clean(text).replace(" & ", " ")
    assert f"<p>{text}</p>" in page and page.startswith("<!DOCTYPE html>")
    assert catalogues.clean(page) == catalogues.clean(text)  # the page adds no visible text of its own
    assert noise.markup(text, "none", rng) == text
    assert noise.boundary("de", "padded") == " de " and noise.boundary("de", "newline") == "de\n"
    assert noise.boundary("de", "quoted") == '"de"' and noise.boundary("de", "stripped") == "de"


def test_chatterbot_lines_drop_untranslated_english(tmp_path):
    """A line of a non-English folder made only of the english folder's words is dropped as untranslated."""
    from cases.language_id import chat

    for folder, lines in {"english": ["I am a programmer", "Good morning"],
                          "swedish": ["I am a programmer", "Jag är en programmerare"] + [f"Hej nummer {chr(97 + i % 26)}{i}"
                                                                                       for i in range(chat.MIN_STRINGS)]}.items():
        (tmp_path / folder).mkdir()
        body = "conversations:\n" + "".join(f"- - {line}\n" for line in lines)
        (tmp_path / folder / "talk.yml").write_text("categories:\n- talk\n" + body, encoding="utf-8")
    loaded = chat.load(tmp_path)
    assert "I am a programmer" not in loaded["sv"] and "Jag är en programmerare" in loaded["sv"]
    assert "en" not in loaded  # below MIN_STRINGS


@pytest.mark.slow
def test_quick_plan_smoke(tmp_path, monkeypatch):
    """The quick plan writes a report whose examples carry the confusion and misidentified texts.
    The case's notebook runs the plan, so CI executes the notebook too.
    """
    run_notebook("language_id", tmp_path, jobs=0, monkeypatch=monkeypatch)
    out = tmp_path / "language_id"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["reproduction"]["verdict"] == "holds"
    axis = summary["axes"][0]
    assert axis["name"] == "text_length" and axis["below"]["breaks_at"] < axis["below"]["holds_at"] <= 200
    report = (out / "report.md").read_text()
    assert "confusable groups" in report and "Misidentified texts" in report
    assert (out / "figures" / "examples_paper.png").exists()
    # determinism in CI: rerun stored trials and compare every metric with the store
    assert main(["verify", "language-id", "--sample", "3", "--results", str(tmp_path)]) == 0
