"""The static site: it builds from the committed results, with no broken link, missing image or empty page, and
its pages open in a real browser (headless Chromium) without a page error."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from mummybench import site
from mummybench.cli import main

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Page(HTMLParser):
    """The links, images and scripts of one HTML page, and the text of its article."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.depth = 0  # > 0 inside <article>
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "img", "link", "script"):
                self.refs.append((tag, a[key] or ""))
        if tag == "article" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    site.build(ROOT, out, work=tmp_path_factory.mktemp("site-src"))
    return out


def _pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if p.name != "404.html")


def test_the_site_has_every_case_page_and_no_broken_link_missing_image_or_empty_page(built):
    pages = _pages(built)
    for folder in (p.parent.name for p in (ROOT / "results").glob("*/summary.json")):
        for name in ("index.html", "lesson.html", "about.html"):
            assert (built / "cases" / folder / name).is_file(), f"no {name} for {folder}"
    assert not list(built.rglob("solutions*")), "solutions are not published"
    broken = []
    for page in pages:
        parser = Page()
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join("".join(parser.text).split())
        assert len(text) > 200, f"{page.relative_to(built)} is empty ({len(text)} characters of text)"
        for tag, ref in parser.refs:
            url = urlparse(ref)
            if url.scheme or ref.startswith(("#", "data:")):
                continue
            target = (page.parent / unquote(url.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(built)}: <{tag}> {ref}")
    assert not broken, "broken links or missing images:\n" + "\n".join(broken)
    index = (built / "index.html").read_text(encoding="utf-8")
    assert "figures/overview.png" in index and "results v" in index  # the overview figure and the results table


def test_the_checker_catches_a_broken_link(tmp_path):
    """The build is strict: a page that links to a file that does not exist fails it, naming the link."""
    fake = tmp_path / "repo"
    shutil.copytree(ROOT / "docs", fake / "docs")
    shutil.copytree(ROOT / "results" / "bench", fake / "results" / "bench")
    (fake / "README.md").write_text("# mummybench\n\nSee [the missing page](docs/no-such-page.md).\n")
    with pytest.raises(RuntimeError, match="no-such-page"):
        site.build(fake, tmp_path / "out", work=tmp_path / "src")


def test_site_refuses_to_replace_a_folder_it_did_not_build(tmp_path, capsys):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    assert main(["site", "--out", str(mine)]) == 2
    assert "--force" in capsys.readouterr().err and (mine / "keep.txt").read_text() == "mine"
    assert main(["site", "--out", str(mine / "keep.txt" / "sub")]) == 2  # a file on the way: one line, not a traceback
    assert "is a file" in capsys.readouterr().err and (mine / "keep.txt").read_text() == "mine"


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium; "
                                             ".ci/run installs it where it can)")
def test_every_page_opens_in_headless_chromium_without_an_error(built):
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make setup)")
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--allow-file-access-from-files"])
        try:
            for page_file in _pages(built):
                page = browser.new_page()
                name = str(page_file.relative_to(built))
                page.on("pageerror", lambda e, name=name: problems.append(f"{name}: page error {e}"))
                page.on("console", lambda m, name=name: problems.append(f"{name}: console {m.text}")
                        if m.type == "error" else None)
                page.on("requestfailed", lambda r, name=name: problems.append(f"{name}: failed {r.url}"))
                page.goto(page_file.as_uri(), wait_until="load")
                assert page.title(), f"{name} has no title"
                broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                                       ".map(i => i.src)")
                problems.extend(f"{name}: image did not load {src}" for src in broken)
                page.close()
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
