#!/usr/bin/env python3
"""gloss's search index against Pagefind on the same built site, side by side in one run.

Usage: bench/search_compare.py SITE [SITE...] [--gloss PATH] [--baseline PATH]
                               [--pagefind PATH] [--no-pagefind] [--work DIR]
                               [--quote-rank]

For each SITE (a generated corpus, bench/gen_corpus.py): builds it with --gloss (into
WORK/<name>-out) and, if given, with --baseline (an older gloss, e.g. main's, into
WORK/<name>-base), each timed with its peak memory (wait4); the build's own log
(GLOSS_LOG=gloss=debug) gives the search index's time, which runs beside the pages.
Then Pagefind (`npx pagefind` or --pagefind) indexes the same output, bodies included,
timed the same way. Prints the index sizes and file counts of both, and the cold-cache
bytes of a one-word, a three-word and a phrase query (bench/search_query.py), and the
rank of a quote's article for three words of the quote (--quote-rank).
Outputs stay in WORK: delete them after measuring. Standard library only.
"""
import argparse, os, re, subprocess, sys, tempfile, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import compare  # noqa: E402
import search_query  # noqa: E402


def timed(cmd, env=None):
    """Runs cmd with `env` added to the environment; returns (wall s, peak MB, stderr)."""
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        return compare.timed(cmd, None)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def size(folder):
    files = [p for p in Path(folder).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def gloss_build(binary, site, out):
    env = {"GLOSS_LOG": "gloss=debug", "NO_COLOR": "1"}
    wall, peak, log = timed([binary, "build", "--quiet", "--root", str(site), "--output", str(out)], env)
    index = re.findall(r"render: search index ([\d.]+)(m?s)", log)
    seconds = [float(v) / (1000 if unit == "ms" else 1) for v, unit in index]
    return wall, peak, seconds[-1] if seconds else None


def quote_words(site):
    """Three words of a quote of some article, and that article's href."""
    for md in sorted((Path(site) / "content/articles").rglob("*.md"))[:200]:
        text = md.read_text(encoding="utf-8")
        m = re.search(r"\n\s+text: \"?([^\n\"]+)", text)
        if m:
            ws = [w for w in re.findall(r"\w+", m.group(1)) if len(w) > 3]
            if len(ws) >= 3:
                return " ".join(ws[:3]), md
    return None, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sites", nargs="+")
    ap.add_argument("--gloss", default=str(HERE.parent / "target/release/gloss"))
    ap.add_argument("--baseline")
    ap.add_argument("--pagefind", default="npx")
    ap.add_argument("--no-pagefind", action="store_true")
    ap.add_argument("--work", default=tempfile.gettempdir())
    ap.add_argument("--queries", nargs="*", default=None)
    a = ap.parse_args()
    work = Path(a.work)
    for site in map(Path, a.sites):
        out = work / f"{site.name}-out"
        print(f"## {site}")
        if a.baseline:
            w, p, idx = gloss_build(a.baseline, site, work / f"{site.name}-base")
            print(f"baseline gloss: {w:.1f} s, {p:.0f} MB peak, index {idx} s")
        w, p, idx = gloss_build(a.gloss, site, out)
        print(f"gloss: {w:.1f} s, {p:.0f} MB peak, index {idx} s (beside the pages)")
        b, n = size(out / "search")
        print(f"gloss index: {b / 1e6:.1f} MB in {n:,} files")
        if not a.no_pagefind:
            cmd = [a.pagefind, "pagefind", "--site", str(out)] if a.pagefind == "npx" else [a.pagefind, "--site", str(out)]
            w, p, _ = timed(cmd)
            b, n = size(out / "pagefind")
            print(f"Pagefind: {w:.1f} s, {p:.0f} MB peak; {b / 1e6:.1f} MB in {n:,} files")
        words, md = quote_words(site)
        queries = a.queries or []
        for q in queries:
            search_query.search(str(out), q)
        if words:
            href = None
            for d in sorted((out / "articles").rglob("index.html")):
                if d.parent.name == md.stem:
                    href = str(d.relative_to(out))
                    break
            search_query.search(str(out), words, href)


if __name__ == "__main__":
    main()
