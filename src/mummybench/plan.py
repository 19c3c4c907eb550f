"""Plans: how much compute a search may spend, and where."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .space import SettingError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")
# every integer field's allowed range: wide enough for any real budget, narrow enough that a typo cannot start a
# sweep of a million settings
RANGES = {"seeds_min": (2, 1000), "seeds_max": (2, 1000), "seeds_step": (1, 1000), "grid_points": (2, 1000),
          "depth": (0, 30), "map_resolution": (0, 100), "random_samples": (0, 100_000), "sample_seed": (0, 2**32 - 1),
          "morris_trajectories": (0, 1000), "sobol_samples": (0, 65536), "screen_seeds": (1, 100),
          "refine_rounds": (0, 100), "refine_batch": (1, 1000), "refine_seeds": (1, 100), "confirm": (0, 100)}


@dataclass(frozen=True)
class Plan:
    """The budget of one search. `base` overrides anchor values for the whole plan (a quick
    plan may shrink the data); `axes` limits the one-at-a-time sweeps (None: all axes)."""

    name: str
    seeds_min: int = 3
    seeds_max: int = 8
    seeds_step: int = 2
    grid_points: int = 5
    depth: int = 2
    map_resolution: int = 4
    random_samples: int = 20
    sample_seed: int = 12345
    timeout_s: float = 300.0
    memory_mb: float | None = None  # address-space cap per worker process; a trial past it fails
    axes: tuple[str, ...] | None = None
    map_axes: tuple[str, str] | None = None  # None: the case's own pair
    compare: bool = True  # run the case's per-category comparison, if it declares one
    anchor_seeds: int | None = None  # seeds for the reproduction at the anchor setting (None: as any setting)
    # global screening (`screening`): Morris trajectories; Sobol' base samples N (a power of 2; N (D+2) points);
    # seeds per design point
    morris_trajectories: int = 0
    # Morris over groups of axes (name -> axes; axes not named are groups of one): a trajectory costs one setting
    # per group, for cases whose trials are too dear for one per axis
    morris_groups: dict[str, list[str]] = field(default_factory=dict)
    sobol_samples: int = 0
    screen_seeds: int = 1
    # the holding region (`region`): fit the surrogate, refine it in rounds of settings chosen by level-set
    # estimation (each on `refine_seeds` seeds), and measure the `confirm` nearest joint flips it predicts
    region: bool = False
    refine_rounds: int = 0
    refine_batch: int = 8
    refine_seeds: int = 2
    confirm: int = 3
    base: dict[str, Any] = field(default_factory=dict)
    values: dict[str, list[Any]] = field(default_factory=dict)  # axis -> the values to sweep instead of its grid

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not NAME.fullmatch(self.name):
            raise SettingError(f"plan name must be letters, digits, '.', '_', '+' or '-', starting with a letter or digit "
                               f"(it names the run's folder); got {self.name!r}")
        for key, (low, high) in RANGES.items():
            value = getattr(self, key)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise SettingError(f"plan '{self.name}': {key} must be an integer in [{low}, {high}]; got {value!r}")
        if self.seeds_max < self.seeds_min:
            raise SettingError(f"plan '{self.name}': need seeds_min <= seeds_max; got {self.seeds_min}, {self.seeds_max}")
        a = self.anchor_seeds
        if a is not None and (not isinstance(a, int) or isinstance(a, bool) or not 2 <= a <= 1000):
            raise SettingError(f"plan '{self.name}': anchor_seeds must be an integer in [2, 1000] or null; got {a!r}")
        m = self.memory_mb
        if m is not None and (not isinstance(m, (int, float)) or isinstance(m, bool) or not 64 <= m < 10**7):
            raise SettingError(f"plan '{self.name}': memory_mb must be a number of MiB in [64, 10000000) or null; got {m!r}")
        for key in ("compare", "region"):
            if not isinstance(getattr(self, key), bool):
                raise SettingError(f"plan '{self.name}': {key} must be true or false; got {getattr(self, key)!r}")
        t = self.timeout_s
        if not isinstance(t, (int, float)) or isinstance(t, bool) or not 0 < t < 10**6:
            raise SettingError(f"plan '{self.name}': timeout_s must be a positive number of seconds; got {t!r}")
        for key in ("axes", "map_axes"):
            if getattr(self, key) is not None:
                object.__setattr__(self, key, tuple(getattr(self, key)))
        if not isinstance(self.values, dict) or not all(isinstance(k, str) and isinstance(v, list) and v
                                                         for k, v in self.values.items()):
            raise SettingError(f"plan '{self.name}': values must map axis names to non-empty lists; got {self.values!r}")
        g = self.morris_groups
        if not isinstance(g, dict) or not all(isinstance(k, str) and isinstance(v, list) and v and
                                              all(isinstance(a, str) for a in v) for k, v in g.items()):
            raise SettingError(f"plan '{self.name}': morris_groups must map group names to non-empty lists of axis "
                               f"names; got {g!r}")
        members = [a for v in g.values() for a in v]
        if len(members) != len(set(members)):
            raise SettingError(f"plan '{self.name}': morris_groups puts an axis in two groups")
        if self.map_axes is not None and len(self.map_axes) != 2:
            raise SettingError(f"plan '{self.name}': map_axes must name two axes; got {list(self.map_axes)}")

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("axes", "map_axes"):
            out[key] = list(getattr(self, key)) if getattr(self, key) is not None else None
        return out


def read_plan_file(path: Path) -> dict[str, Any]:
    """The raw keys of a JSON or TOML plan file (TOML read with the standard library's tomllib)."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".toml":
            try:
                import tomllib
            except ImportError:  # Python 3.10
                import tomli as tomllib
            raw: Any = tomllib.loads(text)
        else:
            raw = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as err:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise SettingError(f"cannot read plan file {path}: {err}") from None
    if not isinstance(raw, dict):
        raise SettingError(f"plan file {path} must hold a JSON object or a TOML table")
    return raw


def build_plan(raw: dict[str, Any], named: dict[str, Plan], where: str, default_name: str) -> Plan:
    """A plan from keys that extend a named plan of the case (`"extends": "quick"`, the default) and override
    some of its fields; `where` names the file or option in error messages."""
    known = {f.name for f in fields(Plan)}
    raw = dict(raw)
    base_name = raw.pop("extends", "quick")
    if base_name not in named:
        raise SettingError(f"{where}: 'extends' must name one of the case's plans ({', '.join(named)}); got {base_name!r}")
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingError(f"{where}: unknown key '{unknown[0]}'; keys are: extends, {', '.join(sorted(known))}")
    if not isinstance(raw.get("base", {}), dict):
        raise SettingError(f"{where}: 'base' must be an object")
    for key in ("axes", "map_axes"):
        if raw.get(key) is not None and not (isinstance(raw[key], list) and all(isinstance(n, str) for n in raw[key])):
            raise SettingError(f"{where}: '{key}' must be a list of axis names")
    start = named[base_name].as_dict()
    merged = {**start, **raw, "base": {**start.get("base", {}), **raw.get("base", {})}}
    merged["name"] = raw.get("name", default_name)
    try:
        plan = Plan(**merged)
    except TypeError as err:
        raise SettingError(f"{where}: {err}") from None
    if plan.name in named and plan != named[plan.name]:
        raise SettingError(f"{where}: the name '{plan.name}' is the case's own plan; a plan that differs from it "
                           "needs a name of its own (it names the run's folder)")
    return plan


def load_plan_file(path: Path, named: dict[str, Plan]) -> Plan:
    """A plan from a JSON or TOML file: it extends one of the case's named plans (`extends`, default "quick")
    and overrides the fields it gives."""
    return build_plan(read_plan_file(path), named, f"plan file {path}", path.stem)


def override(plan: Plan, assignments: list[str], named: dict[str, Plan]) -> Plan:
    """Fields of a plan changed from the command line (`--plan-set seeds_max=10`, values read as JSON where they
    parse, e.g. `axes=["passes"]`), as Hydra's overrides."""
    if not assignments:
        return plan
    raw: dict[str, Any] = {}
    for text in assignments:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise SettingError(f"--plan-set takes FIELD=VALUE; got {text!r}")
        try:
            raw[key.strip()] = json.loads(value)
        except ValueError:
            raw[key.strip()] = value
    named = {**named, plan.name: plan}
    return build_plan({"extends": plan.name, **raw}, named, "--plan-set", plan.name + "+overrides")
