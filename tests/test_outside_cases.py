"""Cases from outside the repository: a folder given with --cases, an installed package's entry point, and a
case scaffolded by `mummybench new` that runs and passes its own contract test at once."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "mummybench", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180, env=env)


def test_new_scaffolds_a_case_that_runs_beside_the_built_ins(tmp_path):
    """`new` writes a runnable case with README and test; `--cases` finds it beside the built-ins; it runs, and
    its generated contract test passes; `new` refuses to overwrite it."""
    made = _cli("new", "my-case", "--dir", "mycases", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "mycases" / "my_case"
    assert {p.name for p in folder.iterdir()} >= {"case.py", "README.md", "test_my_case.py"}
    listed = _cli("--cases", "mycases", "list", cwd=tmp_path)
    assert "my-case" in listed.stdout and "topic-modeling" in listed.stdout
    run = _cli("--cases", "mycases", "run", "my-case", "--jobs", "0", "--quiet", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "runs" / "quick" / "my_case" / "report.md").is_file()
    test = subprocess.run([sys.executable, "-m", "pytest", "-q", str(folder)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=180)
    assert test.returncode == 0, test.stdout
    again = _cli("new", "my-case", "--dir", "mycases", cwd=tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr


def test_an_installed_packages_entry_point_is_a_case(tmp_path):
    """A distribution declaring `mummybench.cases` = module:Class is discovered; a broken one is listed unavailable."""
    site = tmp_path / "site"
    (site / "toy_pkg").mkdir(parents=True)
    (site / "toy_pkg" / "__init__.py").write_text(
        "from cases.synthetic.case import Synthetic\n\n\nclass Plugged(Synthetic):\n    name = 'plugged'\n"
        "    listed = True\n")
    info = site / "toy_pkg-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-pkg\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[mummybench.cases]\nplugged = toy_pkg:Plugged\nbroken = toy_pkg:Nope\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT), str(ROOT / "src")])}
    listed = _cli("list", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any(ln.startswith("plugged ") for ln in lines)
    assert any(ln.startswith("broken") and "UNAVAILABLE" in ln for ln in lines)
