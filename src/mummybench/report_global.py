"""The report's global sections: "Which hidden parameters matter" (Morris, Sobol') and "Where the claim holds"
(the surrogate's share, P(holds) along the important axes, the strongest interaction, joint flips)."""

from __future__ import annotations

from typing import Any

from .formatting import num as _num
from .search import SearchResult


def _ci(pair: list[Any]) -> str:
    return f"[{_num(pair[0])}, {_num(pair[1])}]"


def _setting(changed: dict[str, Any]) -> str:
    return ", ".join(f"`{k}={v}`" for k, v in changed.items())


def screening_lines(result: SearchResult, data: dict[str, Any]) -> list[str]:
    found = data.get("screening")
    if not found:
        return []
    morris, sobol = found.get("morris"), found.get("sobol")
    varied = found["axes_varied"]
    fixed = found.get("fixed_by_plan") or []
    lines = ["## Which hidden parameters matter", "",
             f"Every axis moves at once here, across its plausible range: {len(varied)} axes"
             + (f" (the plan fixes {', '.join(f'`{f}`' for f in fixed)})" if fixed else "")
             + ". One-at-a-time sweeps (above) cannot see an effect that depends on another axis; these can.", ""]
    if morris:
        nf = morris["noise_floor"]
        steps = len(morris.get("axes") or []) or len(varied)
        grouped = morris.get("grouped")
        lines += [f"**Morris elementary effects** (SALib; {morris['trajectories']} "
                  f"trajector{'y' if morris['trajectories'] == 1 else 'ies'} of {steps + 1} "
                  f"settings, {morris['seeds_per_point']} seed per setting, {morris['trials']} trials"
                  + ("; axes moved in groups, one group per step, so the indices are per group and σ exists only for "
                     "a group of one axis (SALib)" if grouped else "")
                  + (f"; {morris['invalid_dropped']} drawn trajectories the case cannot run were replaced"
                     if morris["invalid_dropped"] else "")
                  + (f"; {morris['failed_dropped']} replaced because a trial failed, so the indices describe the "
                     "settings that run" if morris["failed_dropped"] else "")
                  + (f"; the categories of {', '.join(f'`{p}`' for p in morris['permuted'])} permuted per trajectory, "
                     "so that every one is visited" if morris.get("permuted") else "")
                  + "). μ* is the mean absolute change of the claim's value when one axis moves by 2/3 of its "
                  "plausible range, divided by 2/3; σ is how much that change varies with where the other axes "
                  "are (large σ: an interaction, or an effect that is not linear). Intervals: 95% Student-t over "
                  "trajectories for μ*, chi-square for σ; with few trajectories they are approximate (`make bench` "
                  f"measures their coverage). Seed noise alone would give μ* ≈ {_num(nf['mu_star'])} and σ ≈ "
                  f"{_num(nf['sigma'])} (seed-to-seed sd {_num(nf['seed_sd'])}, pooled over the search's settings). "
                  "'moved' counts the trajectories whose step on that axis changed the setting at all (a case resets "
                  "an axis that does nothing there).", ""]
    sob = {e["axis"]: e for e in (sobol or {}).get("axes", [])}
    head = "| axis | μ* [95% CI] | σ [95% CI] | μ* above seed noise | moved |"
    rule = "|---|---|---|---|---|"
    if sob:
        head += " Sobol' S1 [95% CI] | Sobol' ST [95% CI] |"
        rule += "---|---|"
    if morris and morris.get("axes"):
        lines += [head, rule]
        for e in morris["axes"]:
            name = e["axis"] if not e.get("members") or e["members"] == [e["axis"]] else \
                f"{e['axis']} ({', '.join(e['members'])})"
            sigma = f"{_num(e['sigma'])} {_ci(e['sigma_ci'])}" if e.get("sigma") is not None else "n/a (a group)"
            if not e.get("moved", 1):
                row = f"| {name} | never moved | | | 0 of {morris['trajectories']} |"
            else:
                row = (f"| {name} | {_num(e['mu_star'])} {_ci(e['mu_star_ci'])} | {sigma} | "
                       f"{'yes' if e['above_noise'] else 'no'} | {e.get('moved', '?')} of {morris['trajectories']} |")
            if sob:
                s = sob.get(e["axis"], {})
                row += f" {_num(s.get('S1'))} {_ci(s.get('S1_ci', [None, None]))} | {_num(s.get('ST'))} " \
                       f"{_ci(s.get('ST_ci', [None, None]))} |"
            lines.append(row)
        lines += ["", "![screening](figures/screening.png)", ""]
    elif morris:
        lines += [f"No Morris indices: {morris.get('note', 'nothing measured')}.", ""]
    if sobol:
        share = sobol.get("noise_share")
        lines += [f"**Sobol' indices** (SALib, Saltelli's scheme: {sobol['base_samples']} base samples × "
                  f"{len(varied) + 2} settings, {sobol['trials']} trials; SALib's 95% intervals, 1.96 × the sd of its "
                  "bootstrap). S1 is the share of "
                  "the value's variance an axis explains alone; ST − S1 its share through interactions, plus seed noise's "
                  "share (one seed per point: the noise adds to every ST and to no S1). An estimate below 0 is "
                  "estimation error around an index of about 0."
                  + (f" Seed noise is about {_num(100 * share, 2)}% of the variance of a design point's value: no axis "
                     "can explain that part." if share is not None else ""), ""]
        if not sob:
            lines += [f"No Sobol' indices: {sobol.get('note', 'nothing measured')}.", ""]
    lines += [f"*Categories:* {(morris or sobol)['categorical']}", ""]
    return lines


def region_lines(result: SearchResult, data: dict[str, Any]) -> list[str]:
    reg = data.get("region")
    if not reg:
        return []
    claim = result.case.claim
    anchor = result.anchor
    sh = reg["share"]
    rs = data.get("robust_share") or {}
    ref = reg["refinement"]
    added = sum(r["settings"] for r in ref["rounds"])
    lines = ["## Where the claim holds", "",
             f"A Gaussian-process surrogate of the claim's value (scikit-learn; every setting this run measured, "
             f"{reg['settings_measured']} in all, each weighted by its seeds), refined by level-set estimation: "
             f"{len(ref['rounds'])} round(s) measured {added} settings where its verdict was least certain "
             f"({ref['seeds_per_setting']} seed(s) each; the straddle rule of Bryan et al. 2005).", ""]
    ppi = reg.get("share_ppi")
    if ppi:
        lines += [f"**Share of the plausible space where the claim holds: {_num(ppi['estimate'])} (95% interval "
                  f"{_ci(ppi['ci'])})**, by prediction-powered inference (Angelopoulos et al. 2023): the surrogate, "
                  f"fitted and refined without the {ppi['unseen_settings']} settings the random phase drew, predicts "
                  f"{_num(ppi['model_only'])} over {ppi['points']} uniform settings, and its mean error on those unseen "
                  f"settings ({_num(ppi['mean_residual'])}) corrects it. Here a setting holds when the mean of its "
                  "seeds (3 or more, more where its verdict was unclear) satisfies the claim, and one whose every trial "
                  "failed does not. The interval needs no trust in the model: it bounds the model's error on the "
                  "unseen settings with exact binomial bounds (wider than the paper's normal interval, which covers "
                  "less than 95% at these sample sizes when a confident model is wrong on a small region).", ""]
    if sh.get("estimate") is not None:
        lines += [f"The surrogate's own posterior gives {_num(sh['estimate'])} (95% interval {_ci(sh['ci'])}) over "
                  f"{sh['points']} uniform settings, for the noise-free value, from {sh['draws']} joint draws each on "
                  "a bootstrap resample of the settings. It is a model's interval, which trusts the kernel"
                  + ("." if ppi else ": this plan draws no random settings, so no model-free check is made and this "
                     "number is not a finding, only the model's guess.")
                  + " `make bench` measures how often such intervals cover a known share.", ""]
    words = []
    if rs.get("samples"):
        words.append(f"Without a model: {rs['holds']} of {rs['samples']} settings drawn at random hold "
                     f"({_num(rs['estimate'])}, Wilson {_ci(rs['ci'])}; inconclusive ones count as not holding).")
    ho = reg.get("held_out")
    if ho:
        words.append(f"Fitted without those random settings, the surrogate's verdict (P(holds) ≥ 0.5) agrees with the "
                     f"measured one at {ho['agree']} of the {ho['decided']} that were decided.")
    lines += [" ".join(words), ""] if words else []
    if reg.get("along"):
        names = ", ".join(f"`{a['axis']}`" for a in reg["along"])
        lines += [f"P(holds) along the most important axes ({names}), every other axis at the anchor:", "",
                  "![P(holds) along the important axes](figures/region_along.png)", ""]
    st, cand = reg.get("strongest"), None
    if st:
        a, b = st["axes"]
        m = st["measured"]
        verdict = "**Measured: an interaction**" if st["found"] else "Measured: no interaction distinguishable from 0"
        lines += [f"**Strongest interaction:** the surrogate nominates `{a}` × `{b}` at {_setting(st['at'])}: "
                  f"f({a}, {b}) − f({a}, anchor) − f(anchor, {b}) + f(anchor) = {_num(st['contrast'])} ± "
                  f"{_num(st['sd'])} (posterior sd). {verdict}: "
                  f"{_num(m['contrast'])} {_ci(m['ci'])} (95% t-interval of the paired contrast over {m['n_seeds']} "
                  "fresh seeds, the four corners on the same seeds, none of them seen by the surrogate)."
                  + (f" The claim's value at the corners: both moved {_num(m['corner_means']['both'])}, `{a}` alone "
                     f"{_num(m['corner_means']['first_alone'])}, `{b}` alone {_num(m['corner_means']['second_alone'])}, "
                     f"neither {_num(m['corner_means']['neither'])}." if m.get("corner_means") else "")
                  + (" **Saturation, not synergy:** on these seeds each move alone already takes the claim's mean "
                     "past its threshold, so together they cannot take much more away; the contrast mostly measures "
                     "that floor, not a need for both moves." if st.get("saturated") else ""), ""]
        cand = st
    else:
        lines += [f"**Strongest interaction: none found.** No pair among the {len(reg['pair_axes'])} most important "
                  f"axes ({', '.join(f'`{n}`' for n in reg['pair_axes'])}) has a predicted interaction contrast "
                  f"{_num(reg['z_found'])} posterior sds from 0, at a budget of {reg['settings_measured']} measured "
                  "settings.", ""]
    if reg.get("slice"):
        sl = reg["slice"]
        lines += [f"The surrogate's P(holds) over `{sl['x']['name']}` × `{sl['y']['name']}`"
                  + (" (the nominated pair)" if cand else " (the two most important axes)")
                  + ", every other axis at the anchor:", "", "![P(holds) slice](figures/region_slice.png)", ""]
    flip = "breaks" if anchor == "holds" else "holds"
    confirmed = reg.get("confirmed") or []
    lines += [f"### Where it {flip} only when two axes move together", ""]
    if not reg.get("joint_flips_total"):
        lines += [f"The surrogate finds no pair of values, among the {len(reg['pair_axes'])} most important axes, "
                  f"where the claim {flip} with both moved although it {anchor} with either moved alone.", ""]
    else:
        lines += [f"The surrogate finds {reg['joint_flips_total']} grid pair(s) where the claim {flip} with both axes "
                  f"moved although each moved alone keeps the anchor's verdict (P ≥ 0.975 each way). This is what a "
                  f"one-at-a-time sweep cannot see. The nearest to the anchor, measured on fresh seeds the surrogate "
                  f"never saw (a single look at {result.plan.seeds_max} seeds, 95%):", "",
                  "| both moved | P(holds), surrogate | alone: P(holds) | measured verdict | measured mean [95% CI] |",
                  "|---|---|---|---|---|"]
        for c in confirmed:
            m = c["measured"]
            alone = ", ".join(f"{k}: {_num(v)}" for k, v in c["p_holds_alone"].items())
            lines.append(f"| {_setting(c['changed'])} | {_num(c['p_holds'])} | {alone} | **{m['verdict']}** | "
                         f"{_num(m['mean'])} {_ci(m['ci'])} (n={m['n_seeds']}) |")
        lines.append("")
        lines += _contradictions(result, confirmed, flip)
    lines += [f"Surrogate kernel: `{reg['kernel']}`; claim: `{claim.label}`.", ""]
    return lines


def _contradictions(result: SearchResult, confirmed: list[dict[str, Any]], flip: str) -> list[str]:
    """Sentences where a measured joint flip contradicts the one-at-a-time picture."""
    by_axis = {r.axis.name: r for r in result.axes}
    out = []
    for c in confirmed:
        if c["measured"]["verdict"] != flip:
            continue
        alone = []
        for name, value in c["changed"].items():
            r = by_axis.get(name)
            ev = r.points.get(value) if r else None
            if ev is not None:
                alone.append(f"`{name}={value}` alone was measured in the one-at-a-time sweep: {ev.verdict} "
                             f"({_num(ev.mean)})")
            else:
                alone.append(f"`{name}={value}` alone holds by the surrogate (P = {_num(c['p_holds_alone'][name])}; "
                             "not measured alone)")
        out.append(f"- {'; '.join(alone)}; both together, measured on fresh seeds: the claim {flip} "
                   f"({_num(c['measured']['mean'])}).")
    return [*out, ""] if out else []
