"""README blocks generated from the committed summary.json files, so that no result is typed into prose.

A README holds a block between `<!-- results:start ... -->` and `<!-- results:end -->`; `render_blocks` rewrites it
from the summary and `stale_blocks` (used by a test) lists the READMEs whose block no longer matches. A case README
gets its findings (verdict at the anchor, the bracket on each side of every axis, categories, further claims, the
share of the plausible space); the top-level README gets one row per case.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from . import answers, citation
from .report import FIGURE_STYLE, PROFILE_INPUTS, _num, grey_words, not_swept

START = "<!-- results:start"
END = "<!-- results:end -->"
OVERVIEW = Path("results/figures/overview.png")  # the README's overview figure, drawn by `make readme`
_BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)


def _ci(entry: dict[str, Any]) -> str:
    low, high = entry.get("ci") or [None, None]
    return f"{_num(entry.get('mean'))} [{_num(low)}, {_num(high)}]"


def _side(axis: dict[str, Any], name: str) -> str:
    b = axis.get(name)
    status = axis.get(f"{name}_status") or ""
    if b:
        text = f"holds at {b['holds_at']} ({_num(b['holds_mean'])}), **breaks at {b['breaks_at']}** ({_num(b['breaks_mean'])})"
        if b.get("inconclusive_between"):
            text += f"; inconclusive between: {grey_words(axis, b['inconclusive_between'])}"
        if b.get("paper_verdict_returns_at"):
            text += f"; the anchor's verdict returns at {', '.join(map(str, b['paper_verdict_returns_at']))}"
        return text
    if status == "inconclusive":
        return "no clear break; inconclusive at " + grey_words(axis, axis.get(f"{name}_inconclusive") or [])
    tried = axis.get(f"{name}_tried")
    if status == "robust":
        what = "no break" if axis.get("anchor_verdict", "holds") == "holds" else "never holds"
        if tried:
            return f"{what} at the {len(tried)} value(s) tried"
        return not_swept(axis.get(f"{name}_at_end", True))
    return status or "—"


def case_block(summary: dict[str, Any], results_link: str, version: dict[str, Any] | None = None,
               profile: bool = False) -> str:
    """The findings of one case as Markdown, every number from its summary.json; its results version and
    suggested citation, and its fragility profile when drawn."""
    rep, claim, st = summary["reproduction"], summary["claim"], summary.get("statistics") or {}
    rows = [f"Generated from [`summary.json`]({results_link}/summary.json) by `make readme`; "
            f"the full report: [{results_link}/report.md]({results_link}/report.md).", "",
            f"- **At the anchor setting:** {rep['verdict']} — `{claim['metric']}"
            + (f" - {claim['baseline']}" if claim.get("baseline") else "")
            + f" {claim['op']} {claim['threshold']:g}`: mean {_ci(rep)} over {rep['n_seeds']} seeds "
            f"(seed-only spread {_num((rep.get('spread') or [None])[0])}–{_num((rep.get('spread') or [None, None])[1])}); "
            f"{100 * st.get('level', 0.95):.0f}% repeated confidence interval over looks at "
            f"{', '.join(map(str, st.get('anchor_looks') or []))} seeds."]
    for also in summary.get("also") or []:
        r = also["reproduction"]
        rows.append(f"- **Also on trial, `{also['label']}`:** {r['verdict']} — mean {_ci(r)} over {r['n_seeds']} seeds.")
    rs = summary["robust_share"]
    if rs.get("samples"):
        rows.append(f"- **Share of the plausible space where it holds:** {rs['holds']} of {rs['samples']} random settings "
                    f"({_num(rs['estimate'])}, 95% Wilson interval {_num(rs['ci'][0])}–{_num(rs['ci'][1])})"
                    + (f"; {rs['failed']} more could not be measured (every trial failed)" if rs.get("failed") else "")
                    + ".")
    rows += global_rows(summary)
    rows.append(f"- **Cite as:** {citation.suggested(summary, version)}")
    rows += ["", f"![fragility profile]({results_link}/figures/fragility_profile.png)"] if profile else []
    rows += ["", "| axis | anchor | below the anchor | above the anchor |", "|---|---|---|---|"]
    for axis in summary["axes"]:
        if axis.get("categories"):
            cats = ", ".join(f"{k}: {v}" for k, v in axis["categories"].items())
            rows.append(f"| {axis['name']} | {axis['anchor']} | categories — {cats} | |")
        else:
            rows.append(f"| {axis['name']} | {axis['anchor']} | {_side(axis, 'below')} | {_side(axis, 'above')} |")
    compare = summary.get("compare")
    if compare:
        rows += ["", f"By `{compare['axis']}` (the anchor setting with each value, then the same sweeps):", "",
                 f"| {compare['axis']} | at the anchor | axis | below | above |", "|---|---|---|---|---|"]
        for v in compare["variants"]:
            for axis in v["axes"]:
                rows.append(f"| {v['value']} | {v['verdict']}: {_ci(v)} | {axis['name']} | {_side(axis, 'below')} | "
                            f"{_side(axis, 'above')} |")
    return "\n".join(rows)


def global_rows(summary: dict[str, Any]) -> list[str]:
    """The global phases' findings: the most important axes, the share by the surrogate, the strongest measured
    interaction, and the nearest joint flips (issue 14)."""
    rows: list[str] = []
    found = summary.get("screening") or {}
    morris = (found.get("morris") or {}).get("axes") or []
    if morris:
        top = [f"`{e['axis']}` (μ* {_num(e['mu_star'])})" for e in morris if e["above_noise"]]
        quiet = [e["axis"] for e in morris if not e["above_noise"]]
        rows.append("- **Which hidden parameters matter** (Morris, every axis moving at once): "
                    + (", ".join(top) if top else "none above seed noise")
                    + (f"; not shown above seed noise: {', '.join(f'`{q}`' for q in quiet)}" if quiet else "") + ".")
    sobol = (found.get("sobol") or {}).get("axes") or []
    if sobol:
        rows.append("- **Sobol' total-order indices:** " + ", ".join(
            f"`{e['axis']}` {_num(e['ST'])} [{_num(e['ST_ci'][0])}, {_num(e['ST_ci'][1])}]" for e in sobol[:4]) + ".")
    reg = summary.get("region") or {}
    if reg:
        ppi, own = reg.get("share_ppi"), reg.get("share") or {}
        if ppi:
            rows.append(f"- **Share where it holds, from the surrogate:** {_num(ppi['estimate'])} (95% interval "
                        f"{_num(ppi['ci'][0])}–{_num(ppi['ci'][1])}, prediction-powered over {ppi['unseen_settings']} "
                        "settings the model did not see).")
        elif own.get("estimate") is not None:
            rows.append(f"- **Share where it holds, the surrogate's own estimate:** {_num(own['estimate'])} (95% "
                        f"posterior interval {_num(own['ci'][0])}–{_num(own['ci'][1])}; a model's interval, with no "
                        "unseen random settings to check it).")
        st = reg.get("strongest")
        if st and st.get("found"):
            m = st["measured"]
            rows.append(f"- **Strongest interaction:** `{st['axes'][0]}` × `{st['axes'][1]}` at "
                        + ", ".join(f"`{k}={v}`" for k, v in st["at"].items())
                        + f": measured contrast {_num(m['contrast'])} [{_num(m['ci'][0])}, {_num(m['ci'][1])}] over "
                        f"{m['n_seeds']} fresh seeds"
                        + ("; saturation, not synergy: each move alone already takes the mean past the threshold."
                           if st.get("saturated") else "."))
        elif st:
            rows.append(f"- **Strongest interaction:** none distinguishable from 0; the surrogate's candidate "
                        f"`{st['axes'][0]}` × `{st['axes'][1]}` gave {_num(st['measured']['contrast'])} "
                        f"[{_num(st['measured']['ci'][0])}, {_num(st['measured']['ci'][1])}].")
        else:
            rows.append(f"- **Strongest interaction:** none found among the {len(reg.get('pair_axes') or [])} most "
                        f"important axes, at {reg['settings_measured']} measured settings.")
        joint = [c for c in reg.get("confirmed") or [] if c["measured"]["verdict"] not in
                 (summary["reproduction"]["verdict"], "inconclusive")]
        if joint:
            rows.append("- **Flips only when two axes move together (measured):** " + "; ".join(
                ", ".join(f"`{k}={v}`" for k, v in c["changed"].items()) + f" → {c['measured']['verdict']} "
                f"({_num(c['measured']['mean'])})" for c in joint) + ".")
    return rows


def _flips(summary: dict[str, Any]) -> str:
    """Every bracket's flipping value, as 'axis anchor→value', and the categories whose verdict is the opposite
    of the anchor's."""
    anchor = summary["reproduction"]["verdict"]
    if anchor not in ("holds", "breaks"):
        return "— (inconclusive at the anchor: nothing to flip)"
    opposite = "breaks" if anchor == "holds" else "holds"
    out = []
    for axis in summary["axes"]:
        for name in ("below", "above"):
            b = axis.get(name)
            if b:
                grey = b.get("inconclusive_between") or []
                out.append(f"{axis['name']} {axis['anchor']}→{b.get('flip_at', b['breaks_at'])}"
                           + (f" (inconclusive from {grey[0]})" if grey else ""))
        if axis.get("categories"):
            flipped = [k for k, v in axis["categories"].items() if v == opposite]
            if flipped:
                out.append(f"{axis['name']}={', '.join(flipped)}")
    return f"{opposite} at: " + ("; ".join(out) if out else "none found")


def index_row(summary: dict[str, Any], case_dir: str, results_dir: str, version: dict[str, Any] | None = None) -> str:
    rep, rs = summary["reproduction"], summary["robust_share"]
    name = summary["case"]
    share = (f"{rs['holds']} of {rs['samples']} random ({_num(rs['estimate'])}, CI {_num(rs['ci'][0])}–{_num(rs['ci'][1])})"
             if rs.get("samples") else "not sampled")
    ppi = (summary.get("region") or {}).get("share_ppi")
    if ppi:  # the surrogate's prediction-powered share first: the same random settings, a model to narrow it
        share = f"{_num(ppi['estimate'])} (CI {_num(ppi['ci'][0])}–{_num(ppi['ci'][1])}, prediction-powered); {share}"
    also = "".join(f"; also `{a['label']}`: **{a['reproduction']['verdict']}** ({_num(a['reproduction']['mean'])})"
                   for a in summary.get("also") or [])
    v = f"v{version['version']}" if version else "—"
    return (f"| [{name}]({case_dir}/README.md) | {summary['claim']['text']} | **{rep['verdict']}**: {_ci(rep)}, "
            f"{rep['n_seeds']} seeds{also} | {_flips(summary)} | {share} | [report]({results_dir}/report.md), "
            f"results {v} |")


def _summaries(root: Path) -> dict[str, dict[str, Any]]:
    """Every committed summary.json, by results folder, read once."""
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((root / "results").glob("*/summary.json"))}


def index_block(summaries: dict[str, dict[str, Any]], root: Path | None = None) -> str:
    rows = ["Generated from each `results/<case>/summary.json` by `make readme`.", ""]
    if root is not None and (root / OVERVIEW).is_file():
        rows += [f"![Where each claim holds: every case's fragility profile]({OVERVIEW.as_posix()})", "",
                 f"(SVG for slides: `{OVERVIEW.with_suffix('.svg').as_posix()}`; one per case in "
                 "`results/<case>/figures/fragility_profile.svg`.)", ""]
    rows += ["| case | claim on trial | at the anchor setting (mean, 95% repeated CI) | verdict flips (anchor→value) | "
             "share of plausible space where it holds | report |", "|---|---|---|---|---|---|"]
    for folder, summary in summaries.items():
        version = citation.read(root / "results" / folder) if root is not None else None
        rows.append(index_row(summary, f"cases/{folder}", f"results/{folder}", version))
    return "\n".join(rows)


def draw_overview(root: Path, summaries: dict[str, dict[str, Any]]) -> None:
    """results/figures/overview.png and .svg: every case's fragility profile, redrawn only when a summary moved."""
    from .profile import overview_plot
    from .report import FigureCache

    folder = (root / OVERVIEW).parent
    folder.mkdir(parents=True, exist_ok=True)
    cache = FigureCache(folder)
    shapes = {k: {f: s.get(f) for f in PROFILE_INPUTS} for k, s in summaries.items()}
    cache.draw(OVERVIEW.name, [FIGURE_STYLE, shapes], lambda path: overview_plot(summaries, path))
    cache.finish()


def blocks(root: Path) -> dict[Path, str]:
    """README path -> the block it should hold."""
    summaries = _summaries(root)
    out = {root / "README.md": index_block(summaries, root)}
    for folder, summary in summaries.items():
        readme = root / "cases" / folder / "README.md"
        if readme.is_file():
            results = root / "results" / folder
            out[readme] = case_block(summary, f"../../results/{folder}", citation.read(results),
                                     (results / "figures" / "fragility_profile.png").is_file())
        answers_file = root / "cases" / folder / "solutions" / "answers.toml"
        if answers_file.is_file():  # the answer key of the case's lesson, from the same summary
            out[answers_file.with_name("README.md")] = answers.solutions_block(
                answers.load(answers_file), summary, f"../../../results/{folder}")
    return out


def _wrap(body: str) -> str:
    return f"{START} (generated: do not edit by hand) -->\n{body}\n{END}"


def render_blocks(root: Path) -> tuple[list[Path], list[Path]]:
    """Redraw the overview figure if a summary moved, and rewrite every README's results block; returns (the files
    changed, the READMEs without markers, left alone)."""
    changed, unmarked = [], []
    draw_overview(root, _summaries(root))
    for path, body in blocks(root).items():
        text = path.read_text(encoding="utf-8")
        if START not in text:
            unmarked.append(path)
            continue
        new = _BLOCK.sub(lambda _m, body=body: _wrap(body), text, count=1)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed, unmarked


def stale_blocks(root: Path) -> list[Path]:
    """READMEs whose results block is missing or differs from what summary.json gives."""
    stale = []
    for path, body in blocks(root).items():
        text = path.read_text(encoding="utf-8")
        match = _BLOCK.search(text)
        if not match or match.group(0) != _wrap(body):
            stale.append(path)
    return stale


_NUMBER = re.compile(r"(?<![\w.#])([-\u2212]?\d{1,3}(?:,\d{3})+|[-\u2212]?\d+)(\.\d+)?(\s?%)?")


def _value(m: re.Match) -> float:
    return float(m.group(1).replace(",", "").replace("\u2212", "-") + (m.group(2) or ""))


def _summary_numbers(node: Any, out: set[float]) -> set[float]:
    """Every number in a summary, including those written inside its strings (settings, versions, claim text)."""
    if isinstance(node, bool) or node is None:
        return out
    if isinstance(node, (int, float)):
        out.add(float(node))
    elif isinstance(node, str):
        out.update(_value(m) for m in _NUMBER.finditer(node))
    elif isinstance(node, dict):
        for key, value in node.items():
            _summary_numbers(key, out)
            _summary_numbers(value, out)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _summary_numbers(value, out)
    return out


def narrative(text: str) -> str:
    """A case README's prose about its results: from the end of the results block to the next `## ` heading,
    less any "What changed" subsection (it quotes earlier results, which the current summary no longer holds)."""
    start = text.find(END)
    if start < 0:
        return ""
    kept, skipping = [], False
    for line in text[start + len(END):].splitlines():
        if line.startswith("## "):
            break
        if line.startswith("#"):
            skipping = "What changed" in line
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def unsourced_numbers(text: str, summary: dict[str, Any]) -> list[str]:
    """Numbers in a README's results prose that no number in its summary.json gives at the precision written
    (a percentage is read as a fraction too). Typed-in results show up here; so do numbers about the method (a
    step count, a seed): those belong in the summary's settings or in another section."""
    known = _summary_numbers(summary, set())
    missing = []
    for m in _NUMBER.finditer(narrative(text)):
        frac, percent = m.group(2) or "", m.group(3)
        value, places = _value(m), max(len(frac) - 1, 0)
        candidates = [(value, places)] + ([(value / 100, places + 2)] if percent else [])
        if not any(round(k, p) == round(c, p) for c, p in candidates for k in known):
            missing.append(m.group(0).strip())
    return missing
