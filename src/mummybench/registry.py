"""Finds cases: the built-in `cases/` folder, folders of your own (`--cases DIR` or $MUMMYBENCH_CASES, both beside
the built-ins), and installed packages that declare an entry point in the group `mummybench.cases` (as pytest finds
its plugins), e.g. in their pyproject.toml:

    [project.entry-points."mummybench.cases"]
    my-case = "my_package.my_case:MyCase"

A case whose import fails is listed as unavailable with its file and reason; every other case still works.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from importlib import metadata
from pathlib import Path

from .case import Case
from .space import SettingError

ENTRY_POINTS = "mummybench.cases"
EXTRA_DIRS: list[Path] = []  # folders given with --cases (the CLI fills this before anything is discovered)
UNAVAILABLE: dict[str, str] = {}  # case folder or entry point -> why it could not be imported


def builtin_dir() -> Path:
    """The `cases/` folder of this checkout, else ./cases."""
    repo = Path(__file__).resolve().parents[2] / "cases"
    return repo if repo.is_dir() else Path.cwd() / "cases"


def case_dirs() -> list[Path]:
    """Every folder searched, built-ins first: then $MUMMYBENCH_CASES (os.pathsep-separated) and --cases."""
    extra = [Path(p) for p in os.environ.get("MUMMYBENCH_CASES", "").split(os.pathsep) if p]
    out: list[Path] = []
    for folder in [builtin_dir(), *extra, *EXTRA_DIRS]:
        folder = folder.resolve()
        if folder not in out:
            out.append(folder)
    return out


def _import_root(folder: Path) -> None:
    root = str(folder.parent)
    if root not in sys.path:
        sys.path.insert(0, root)


def _reason(err: BaseException, path: Path) -> str:
    """One line: the exception, and the line of the case's own folder where it was raised."""
    import traceback

    frames = [f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename).parent == path.parent]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else str(path)
    return f"{where}: {type(err).__name__}: {' '.join(str(err).split())}"


def _from_folder(folder: Path, found: dict[str, type[Case]]) -> None:
    if not folder.is_dir():
        UNAVAILABLE[folder.name] = f"{folder}: no such folder"
        return
    package = sys.modules.get(folder.name)
    if package is not None and getattr(package, "__file__", None) and Path(package.__file__).parent.resolve() != folder:
        UNAVAILABLE[folder.name] = (f"{folder}: a package named '{folder.name}' is already imported from elsewhere; "
                                    "rename the folder")
        return
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
                _add(found, obj, str(sub / "case.py"))


def _add(found: dict[str, type[Case]], cls: type[Case], where: str) -> None:
    if cls.name in found and found[cls.name] is not cls:
        UNAVAILABLE[cls.name.replace("-", "_")] = (f"{where}: the name '{cls.name}' is taken by "
                                                   f"{inspect.getfile(found[cls.name])}; rename one of them")
        return
    found[cls.name] = cls


def _from_entry_points(found: dict[str, type[Case]]) -> None:
    for entry in metadata.entry_points(group=ENTRY_POINTS):
        try:
            obj = entry.load()
            if not (inspect.isclass(obj) and issubclass(obj, Case)):
                raise TypeError(f"{entry.value} is not a Case subclass")
        except Exception as err:  # noqa: BLE001
            UNAVAILABLE[entry.name.replace("-", "_")] = f"entry point {entry.name} = {entry.value}: " \
                                                        f"{type(err).__name__}: {' '.join(str(err).split())}"
            continue
        _add(found, obj, f"entry point {entry.name} = {entry.value}")


def discover() -> dict[str, type[Case]]:
    """CLI name -> Case class, from every case folder and entry point that imports. A case whose import fails (its
    extra is not installed, or its case.py raises) is left out here, recorded in UNAVAILABLE with its file and
    reason, and explained by `get_case` and `list`."""
    found: dict[str, type[Case]] = {}
    UNAVAILABLE.clear()  # reasons from an earlier discovery (another --cases) must not linger
    for folder in case_dirs():
        _from_folder(folder, found)
    _from_entry_points(found)
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
        listed = sorted(n for n, c in known.items() if c.listed)
        toys = sorted(n for n, c in known.items() if not c.listed)
        raise SettingError(f"unknown case '{name}'; cases are: {', '.join(listed) or '(none found)'}"
                           + (f" (toy cases for tests: {', '.join(toys)}; `mummybench list --all`)" if toys else ""))
    try:
        return cls()
    except Exception as err:  # noqa: BLE001
        raise SettingError(f"case '{name}' is unavailable ({_reason(err, Path(inspect.getfile(cls)))})") from None
