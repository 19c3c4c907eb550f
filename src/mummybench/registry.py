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


UNAVAILABLE: dict[str, str] = {}  # case folder -> why it could not be imported (a missing extra, a broken case.py)


def _reason(err: BaseException, path: Path) -> str:
    """One line: the exception, and the line of the case's own folder where it was raised."""
    import traceback

    frames = [f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename).parent == path.parent]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else str(path)
    return f"{where}: {type(err).__name__}: {' '.join(str(err).split())}"


def discover() -> dict[str, type[Case]]:
    """CLI name -> Case class, for every case folder that imports. A case whose import fails (its extra is
    not installed, or its case.py raises) is left out here, recorded in UNAVAILABLE with its file and reason,
    and explained by `get_case` and `list`; every other case still works."""
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
        except Exception as err:  # noqa: BLE001 - one broken case must not take the others down
            UNAVAILABLE[sub.name] = _reason(err, sub / "case.py")
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
            why = UNAVAILABLE[folder]
            fix = (f"install its extra: pip install -e '.[{name}]' (or run `make setup`)" if "ImportError" in why
                   or "ModuleNotFoundError" in why else "fix the case's code")
            raise SettingError(f"case '{name}' is unavailable ({why}); {fix}")
        raise SettingError(f"unknown case '{name}'; cases are: {', '.join(sorted(known)) or '(none found)'}")
    try:
        return cls()
    except Exception as err:  # noqa: BLE001
        raise SettingError(f"case '{name}' is unavailable ({_reason(err, Path(inspect.getfile(cls)))})") from None
