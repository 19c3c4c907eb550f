"""The static site: MkDocs with the Material theme, built from the committed results and the teaching material.

`stage` copies what the site shows into a MkDocs source folder, rewriting every relative link from its place in
the repository to its place on the site; `build` runs `mkdocs build --strict` on it. The site has an index (the
README: the overview figure and the results table), and per case a section of three pages: the report with its
figures, the lesson with its exercises, and the case README. Solutions are not published (a teacher hands out the
exercises without them); a link to them becomes plain text naming the repository path. Files a page links to that
are not pages (summary.json, a notebook) are copied beside it for download. Everything is local: no web fonts, no
search index (its web worker cannot load from file://), so the pages open offline and from disk.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

from .space import SettingError

LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")
MARKER = ".mummybench-site"  # in a built site: `site --out` may replace a folder holding it, and no other
DOWNLOADS = (".json", ".py", ".cff", ".toml", ".svg", ".png")
PRIVATE = ("solutions",)  # folders never published


def _pages(root: Path) -> dict[str, str]:
    """Repository path -> site path of every Markdown page the site shows."""
    pages = {"README.md": "index.md", "results/bench/README.md": "bench.md"}
    for summary in sorted((root / "results").glob("*/summary.json")):
        folder = summary.parent.name
        pages[f"results/{folder}/report.md"] = f"cases/{folder}/index.md"
        for name, dest in (("lesson.md", "lesson.md"), ("README.md", "about.md")):
            if (root / "cases" / folder / name).is_file():
                pages[f"cases/{folder}/{name}"] = f"cases/{folder}/{dest}"
    for doc in sorted((root / "docs").glob("*.md")):
        pages[f"docs/{doc.name}"] = f"docs/{doc.name}"
    return pages


def _relative(target: str, start: str) -> str:
    """`target` (a site path) as seen from the page at site path `start`."""
    up = len(PurePosixPath(start).parent.parts)
    return "/".join([".."] * up + [target]) if up else target


def rewrite(text: str, source: str, dest: str, pages: dict[str, str], root: Path, assets: dict[str, str]) -> str:
    """`text` of the repository file `source`, its relative links pointed at the site page `dest`. Links to pages
    map to pages, links to result figures and files to copies (recorded in `assets`: repository path -> site path),
    links into private folders become text."""

    def one(match: re.Match[str]) -> str:
        bang, label, target = match.groups()
        if re.match(r"^[a-z]+:|^#", target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        key = posixpath.normpath(PurePosixPath(source).parent.joinpath(path).as_posix())  # ../ resolved, no disk
        parts = key.split("/")
        anchor = f"#{fragment}" if fragment else ""
        if any(p in PRIVATE for p in parts):
            return f"{label} (in the repository: `{key}`)" if not bang else ""
        if key in pages:
            return f"{bang}[{label}]({_relative(pages[key], dest)}{anchor})"
        if (root / key).is_file() and key.endswith(DOWNLOADS):
            site_path = key if not key.startswith("results/") else _result_asset(key)
            assets[key] = site_path
            return f"{bang}[{label}]({_relative(site_path, dest)}{anchor})"
        if (root / key).is_dir() or (root / key).is_file():
            return f"{label} (in the repository: `{key}`)" if not bang else ""
        return match.group(0)  # left as it is: the build fails on it, which is the point

    return LINK.sub(one, text)


def _result_asset(key: str) -> str:
    """Where a file of results/<case>/ lives on the site: beside the case's report page."""
    parts = key.split("/")
    if parts[1] == "figures":  # results/figures/overview.png
        return "/".join(parts[1:])
    return "/".join(["cases", parts[1], *parts[2:]])


def stage(root: Path, docs: Path) -> dict[str, str]:
    """Write the site's Markdown and assets under `docs`; returns repository path -> site path of every page."""
    pages = _pages(root)
    assets: dict[str, str] = {}
    for source, dest in pages.items():
        text = (root / source).read_text(encoding="utf-8")
        out = docs / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(rewrite(text, source, dest, pages, root, assets), encoding="utf-8")
        if source.startswith("results/") and source.endswith("report.md"):  # the report's own figures
            figures = (root / source).parent / "figures"
            if figures.is_dir():
                shutil.copytree(figures, out.parent / "figures", dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("inputs.json"))
    for source, dest in assets.items():
        (docs / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / source, docs / dest)
    return pages


def _nav(pages: dict[str, str]) -> str:
    lines = ["nav:", "  - Home: index.md"]
    cases = sorted({dest.split("/")[1] for dest in pages.values() if dest.startswith("cases/")})
    if cases:
        lines.append("  - Cases:")
    for folder in cases:
        lines.append(f"    - {folder.replace('_', ' ')}:")
        for dest, title in ((f"cases/{folder}/index.md", "Report"), (f"cases/{folder}/lesson.md", "Lesson"),
                            (f"cases/{folder}/about.md", "The case")):
            if dest in pages.values():
                lines.append(f"      - {title}: {dest}")
    docs = [d for d in pages.values() if d.startswith("docs/")]
    if docs:
        lines.append("  - Teaching and design:")
        lines += [f"    - {PurePosixPath(d).stem.replace('-', ' ')}: {d}" for d in docs]
    if "bench.md" in pages.values():
        lines.append("  - Benchmarks: bench.md")
    return "\n".join(lines)


CONFIG = """site_name: mummybench
site_description: Fragile-result case studies
docs_dir: {docs}
site_dir: {site}
use_directory_urls: false
theme:
  name: material
  font: false
plugins: []
markdown_extensions:
  - tables
  - admonition
  - toc:
      permalink: true
validation:
  nav:
    omitted_files: warn
    not_found: warn
  links:
    not_found: warn
    absolute_links: warn
    unrecognized_links: warn
"""


def build(root: Path, out: Path, force: bool = False, work: Path | None = None) -> Path:
    """Stage and build the site into `out` (strict: a broken link or a missing page fails the build). Raises
    SettingError when `out` exists and is not a site this command built, unless `force`."""
    blocked = next((p for p in [out, *out.parents] if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        raise SettingError(f"--out {out}: {blocked} is a file, not a folder")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists() and not force:
        raise SettingError(f"{out} exists and is not a site built by `mummybench site`; choose another --out or pass "
                           "--force to replace it")
    work = work or root / "build" / "site-src"
    if work.exists():
        shutil.rmtree(work)
    docs = work / "docs"
    pages = stage(root, docs)
    config = work / "mkdocs.yml"
    config.write_text(CONFIG.format(docs=docs.resolve(), site=out.resolve()) + _nav(pages) + "\n")
    # not -q: in quiet mode mkdocs stops counting warnings, and --strict then passes a broken link
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config)],
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{done.stdout}{done.stderr}")
    (out / MARKER).write_text("built by `mummybench site`; the command may replace this folder\n")
    return out
