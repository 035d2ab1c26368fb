#!/usr/bin/env python3
"""Where a built site's bytes go: by page kind and, inside HTML pages, by block.

Usage: bench/bytes.py OUT [--compare OTHER_OUT] [--top 12]

OUT is an output folder (gloss's or Hugo's). Prints:
- the total as `du` counts it (4 KiB blocks, folders included) and as the sum of the
  files' own sizes;
- per page kind (first path segment, with `page/N/` pagination, feeds, redirects and
  search files apart): files, bytes, bytes per file;
- per block of the HTML pages: the <head> without JSON-LD, each JSON-LD script, the
  site header, the site footer, the breadcrumbs, and every <section>/<aside> of <main>
  by its class (the rest of <main> as `main (other)`). A block repeated on many pages
  (nav, footer) shows up as many bytes with a small spread.

The block split is a few regular expressions over the markup that gloss's default theme
and Hugo's bench theme write, not an HTML parser: it is a measuring aid. Standard
library only.
"""
import argparse, os, re, sys
from collections import defaultdict
from pathlib import Path

BLOCK = 4096

SCRIPT_LD = re.compile(rb'<script type="application/ld\+json">.*?</script>', re.S)
HEAD = re.compile(rb"<head>.*?</head>", re.S)
HEADER = re.compile(rb'<header class="site-header">.*?</header>', re.S)
FOOTER = re.compile(rb'<footer class="site-footer">.*?</footer>', re.S)
MAIN = re.compile(rb"<main[^>]*>.*?</main>", re.S)
CRUMBS = re.compile(rb'<nav class="breadcrumbs".*?</nav>', re.S)
SECTION = re.compile(rb'<(section|aside) class="([^"]*)"[^>]*>.*?</\1>', re.S)
REFRESH = re.compile(rb'http-equiv="refresh"')


def kind_of(rel: str, head: bytes) -> str:
    """The page kind of an output file, from its path (and a redirect from its markup)."""
    parts = rel.split("/")
    name = parts[-1]
    if name.endswith(".html") and REFRESH.search(head):
        return "redirect pages"
    if name.endswith(".xml") and name != "sitemap.xml":
        return "feeds"
    if name in ("sitemap.xml", "_redirects", "annotations.jsonld", "robots.txt"):
        return name
    if "search" in parts[:-1] or name.startswith("index.json") or name.endswith(".json"):
        return "search index"
    if not name.endswith(".html"):
        return "static (css, js, images)"
    top = parts[0] if len(parts) > 1 else "(root pages)"
    if "page" in parts[:-1]:
        return f"{top} (pages 2+)"
    depth = len(parts) - 1
    if top in ("people", "topics", "outlets"):
        return top + (" index" if depth == 1 else " pages")
    if top == "archive":
        return "archive " + ("index" if depth == 1 else "year" if depth == 2 else "months")
    return top


def blocks(html: bytes):
    """(block name, bytes) for the parts of one HTML page."""
    out = []
    rest = len(html)
    for m in SCRIPT_LD.finditer(html):
        out.append(("json-ld", len(m.group(0))))
    h = HEAD.search(html)
    if h:
        ld = sum(len(m.group(0)) for m in SCRIPT_LD.finditer(h.group(0)))
        out.append(("head (without json-ld)", len(h.group(0)) - ld))
    for name, rx in (("site header + nav", HEADER), ("site footer", FOOTER)):
        m = rx.search(html)
        if m:
            out.append((name, len(m.group(0))))
    m = MAIN.search(html)
    if m:
        main = m.group(0)
        inner = len(main)
        c = CRUMBS.search(main)
        if c:
            out.append(("breadcrumbs", len(c.group(0))))
            inner -= len(c.group(0))
        for s in SECTION.finditer(main):
            cls = s.group(2).decode("utf-8", "replace").split()[0]
            out.append((f"<{s.group(1).decode()} {cls}>", len(s.group(0))))
            inner -= len(s.group(0))
        ld_in_main = sum(len(x.group(0)) for x in SCRIPT_LD.finditer(main))
        out.append(("main (other)", inner - ld_in_main))
    counted = sum(n for _, n in out)
    out.append(("rest (doctype, body, white space)", rest - counted))
    return out


def scan(root: Path):
    kinds = defaultdict(lambda: [0, 0, 0])  # files, bytes, du bytes
    parts = defaultdict(lambda: [0, 0])  # pages, bytes
    du = 0
    for dirpath, dirnames, filenames in os.walk(root):
        du += BLOCK
        for f in filenames:
            p = Path(dirpath, f)
            size = p.stat().st_size
            blocks_du = -(-size // BLOCK) * BLOCK
            du += blocks_du
            rel = p.relative_to(root).as_posix()
            data = p.read_bytes() if f.endswith(".html") else b""
            k = kinds[kind_of(rel, data[:2000])]
            k[0] += 1
            k[1] += size
            k[2] += blocks_du
            if data and not REFRESH.search(data[:2000]):
                for name, n in blocks(data):
                    parts[name][0] += 1
                    parts[name][1] += n
    return kinds, parts, du


def mb(n):
    return f"{n / 2**20:,.1f} MiB"


def report(root: Path, top: int):
    kinds, parts, du = scan(root)
    total = sum(k[1] for k in kinds.values())
    print(f"## {root}\n")
    print(f"du (4 KiB blocks, folders included): {mb(du)}; files' bytes: {mb(total)}; "
          f"files: {sum(k[0] for k in kinds.values()):,}\n")
    print("| page kind | files | bytes | du | bytes per file | share |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (n, b, d) in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
        print(f"| {name} | {n:,} | {mb(b)} | {mb(d)} | {b // max(n, 1):,} | {100 * b / max(total, 1):.1f}% |")
    html = sum(b for _, b in parts.values() if b > 0)
    print(f"\nHTML pages by block (top {top}):\n")
    print("| block | pages with it | bytes | bytes per page | share of HTML |")
    print("|---|---:|---:|---:|---:|")
    for name, (n, b) in sorted(parts.items(), key=lambda kv: -kv[1][1])[:top]:
        print(f"| {name} | {n:,} | {mb(b)} | {b // max(n, 1):,} | {100 * b / max(html, 1):.1f}% |")
    print()
    return du, total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--compare", help="a second output folder (e.g. Hugo's) to report beside it")
    ap.add_argument("--top", type=int, default=16)
    a = ap.parse_args()
    if not Path(a.out).is_dir():
        sys.exit(f"{a.out} is not a folder")
    du, total = report(Path(a.out), a.top)
    if a.compare:
        du2, total2 = report(Path(a.compare), a.top)
        print(f"ratio {a.out} / {a.compare}: du {du / du2:.2f}x, files' bytes {total / total2:.2f}x")


if __name__ == "__main__":
    main()
