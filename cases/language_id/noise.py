"""The text a user actually types: length, code-switching, case, folded diacritics and typos.
Each function takes its random generator, so a text is a pure function of (strings, setting, seed)."""

from __future__ import annotations

import unicodedata

import numpy as np


def build(strings: list[str], length: int, rng: np.random.Generator) -> str:
    """Join randomly chosen strings of one language with spaces until `length` characters, then cut there."""
    parts: list[str] = []
    size = 0
    for i in rng.permutation(len(strings)):
        parts.append(strings[i])
        size += len(strings[i]) + 1
        if size > length:
            break
    return " ".join(parts)[:length].strip() or " ".join(parts)[:length]


def code_switch(text: str, other: str, share: float, rng: np.random.Generator) -> str:
    """Replace a contiguous span of round(share * len) characters with a span of another language."""
    n = round(share * len(text))
    if n <= 0 or not other:
        return text
    n = min(n, len(text))
    start = int(rng.integers(0, len(text) - n + 1))
    return text[:start] + other[:n] + text[start + n:]


def recase(text: str, case: str) -> str:
    return {"as_is": text, "lower": text.lower(), "upper": text.upper()}[case]


def fold(text: str) -> str:
    """Strip combining marks after canonical decomposition (é -> e, š -> s, й -> и), as phone keyboards
    without diacritics produce; characters with no decomposition (ø, ß, ł) stay."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def typos(text: str, rate: float, rng: np.random.Generator) -> str:
    """Edit each letter with probability `rate`: substitute, delete, insert or swap with its neighbour,
    drawing new letters from the text's own letters so the script does not change."""
    if rate <= 0:
        return text
    alphabet = sorted({ch for ch in text if ch.isalpha()})
    if not alphabet:
        return text
    out: list[str] = []
    chars = list(text)
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch.isalpha() and rng.random() < rate:
            kind = int(rng.integers(0, 4))
            letter = alphabet[int(rng.integers(0, len(alphabet)))]
            if kind == 0:
                out.append(letter)
            elif kind == 2:
                out += [ch, letter]
            elif kind == 3 and i + 1 < len(chars):
                out += [chars[i + 1], ch]
                i += 1
            # kind 1 (or a swap at the end): the letter is deleted
        else:
            out.append(ch)
        i += 1
    return "".join(out)


INLINE_TAGS = (("<b>", "</b>"), ("<em>", "</em>"), ("<strong>", "</strong>"), ('<a href="/help/">', "</a>"),
               ('<span class="hl">', "</span>"))


def markup(text: str, kind: str, rng: np.random.Generator) -> str:
    """HTML left in the text, as scraped or rich-text input arrives. 'none': clean; 'inline': rich text
    (a CMS field, an e-mail body): about one word in five wrapped in a tag, one space in ten written
    &nbsp;, '&' written &amp;; 'page': the text as the body of a minimal web page (doctype, head with meta
    tags, an empty title, a stylesheet link and an external script, an empty navigation bar and footer),
    after langid.py issue #9 (a raw HTML page in Spanish labelled Kyrgyz with probability 1.0), without the
    inline scripts, styles and menus a real page carries. The visible text is the same in all three."""
    if kind == "none":
        return text
    if kind == "inline":
        words = text.replace("&", "&amp;").split(" ")
        out = []
        for word in words:
            draw, tag, space = rng.random(), int(rng.integers(0, len(INLINE_TAGS))), rng.random()
            if word and draw < 0.2:
                opening, closing = INLINE_TAGS[tag]
                word = f"{opening}{word}{closing}"
            out.append(word + ("&nbsp;" if space < 0.1 else " "))
        return "".join(out).rstrip(" ")
    if kind == "page":  # the tags and attributes of a page, and no visible text of its own
        return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<meta name="viewport" '
                'content="width=device-width, initial-scale=1">\n<title></title>\n'
                '<link rel="stylesheet" href="/static/css/main.css">\n<script src="/static/js/app.js" defer>'
                '</script>\n</head>\n<body class="page">\n<nav class="navbar"><a href="/" class="logo"></a></nav>\n'
                f'<div class="container">\n<main id="content">\n<p>{text}</p>\n</main>\n</div>\n'
                '<footer class="site-footer"></footer>\n</body>\n</html>\n')
    raise ValueError(f"unknown markup {kind!r}")


def boundary(text: str, kind: str) -> str:
    """What surrounds the text when a program cuts it out. 'stripped': nothing; 'padded': a space on each
    side, as a token cut from a sentence keeps (langid.py issue #66: 'de' and ' de ' get different labels);
    'newline': a trailing newline, as a line read from a file keeps; 'quoted': in double quotes, as a
    quoted string or a CSV field is."""
    return {"stripped": text, "padded": f" {text} ", "newline": f"{text}\n", "quoted": f'"{text}"'}[kind]
