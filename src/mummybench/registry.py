"""Finds cases: folders under `cases/` holding a `case.py` with a Case subclass."""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from pathlib import Path

from .case import Case
from .space import SettingError


def cases_dir() -> Path:
    """$MUMMYBENCH_CASES, else the `cases/` folder of this checkout, else ./cases."""
    if os.environ.get("MUMMYBENCH_CASES"):
        return Path(os.environ["MUMMYBENCH_CASES"]).resolve()
    repo = Path(__file__).resolve().parents[2] / "cases"
    return repo if repo.is_dir() else Path.cwd() / "cases"


def _import_root(folder: Path) -> None:
    root = str(folder.parent)
    if root not in sys.path:
        sys.path.insert(0, root)


UNAVAILABLE: dict[str, str] = {}  # case folder -> why it could not be imported (a missing extra)


def discover() -> dict[str, type[Case]]:
    """CLI name -> Case class, for every case folder whose dependencies are installed. A case whose
    import fails (its extra is not installed) is left out here and explained by `get_case`."""
    folder = cases_dir()
    found: dict[str, type[Case]] = {}
    if not folder.is_dir():
        return found
    _import_root(folder)
    for sub in sorted(folder.iterdir()):
        if not (sub / "case.py").is_file() or sub.name.startswith(("_", ".")):
            continue
        try:
            module = importlib.import_module(f"{folder.name}.{sub.name}.case")
        except ImportError as err:
            UNAVAILABLE[sub.name] = f"{type(err).__name__}: {err}"
            continue
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Case) and obj is not Case and obj.__module__ == module.__name__:
                found[obj.name] = obj
    return found


def get_case(name: str) -> Case:
    """The case called `name` (hyphens or underscores), or a SettingError listing the known ones."""
    known = discover()
    cls = known.get(name) or known.get(name.replace("_", "-"))
    if cls is None:
        folder = name.replace("-", "_")
        if folder in UNAVAILABLE:
            raise SettingError(f"case '{name}' cannot be imported ({UNAVAILABLE[folder]}); install its extra: "
                               f"pip install -e '.[{name}]' (or run `make setup`)")
        raise SettingError(f"unknown case '{name}'; cases are: {', '.join(sorted(known)) or '(none found)'}")
    return cls()
