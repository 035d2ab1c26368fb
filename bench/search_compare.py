#!/usr/bin/env python3
"""gloss's search index against Pagefind on the same built site, side by side in one run.

Usage: bench/search_compare.py SITE [SITE...] [--gloss PATH] [--baseline PATH]
                               [--pagefind PATH] [--no-pagefind] [--work DIR]
                               [--quote-rank [N]] [--queries Q...]

For each SITE (a generated corpus, bench/gen_corpus.py): builds it with --gloss (into
WORK/<name>-out) and, if given, with --baseline (an older gloss, e.g. main's, into
WORK/<name>-base), each timed with its peak memory (wait4); the build's own log
(GLOSS_LOG=gloss=debug) gives the search index's time, which runs beside the pages.
With --no-index, the same --gloss also builds without the search index
(GLOSS_BENCH_NO_SEARCH=1, into WORK/<name>-noindex): what the index costs is the
difference. Every build starts without the site's build cache (SITE/.gloss/cache is
deleted first), so that no build reuses another's work.
Then Pagefind (`npx pagefind` or --pagefind) indexes the same output, bodies included,
timed the same way (wall, CPU and peak memory). Prints the index sizes and file counts
of both, the cold-cache bytes of each of --queries (bench/search_query.py), and with
--quote-rank the rank of a quote's article for three words of its quote: for N quotes
(default 20) of articles spread over the corpus, how often the first result is an article
carrying that quote, how often its quote holds the three words one after the other,
and the ranks of the quote's own article; once for three consecutive words (no stop
word among them), once for three words of four letters or more with the shorter words
between them left out.
The output without the index is deleted once measured; the others stay in WORK: delete
them after measuring. Standard library only.
"""
import argparse, html, re, shutil, sys, tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import compare  # noqa: E402
import search_query  # noqa: E402


def timed(cmd, env=None):
    """(wall s, CPU s, peak MB, stderr) of cmd: CPU time (user + system) is what a loaded
    machine distorts least."""
    return compare.timed_cpu(cmd, None, env)


def size(folder):
    files = [p for p in Path(folder).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def gloss_build(binary, site, out, without_index=False):
    shutil.rmtree(Path(site) / ".gloss" / "cache", ignore_errors=True)
    env = {"GLOSS_LOG": "gloss=debug", "NO_COLOR": "1"}
    if without_index:
        env["GLOSS_BENCH_NO_SEARCH"] = "1"
    wall, cpu, peak, log = timed([binary, "build", "--quiet", "--root", str(site), "--output", str(out)], env)
    index = re.findall(r"render: search index ([\d.]+)(m?s)", log)
    seconds = [float(v) / (1000 if unit == "ms" else 1) for v, unit in index]
    return wall, cpu, peak, seconds[-1] if seconds else None


def quote_words(site, n, consecutive, stop):
    """Up to n (three words of a quote, its text, its article's file), from articles spread
    over the corpus, from the first quote of each: its first three consecutive words none
    of which is a stop word (`stop`, which no index holds), or (not `consecutive`) its
    first three words of four letters or more, shorter words between them left out."""
    files = sorted((Path(site) / "content/articles").rglob("*.md"))
    out = []
    for md in files[:: max(1, len(files) // (n * 2))]:
        text = md.read_text(encoding="utf-8")
        m = re.search(r"\n\s+text: \"?([^\n\"]+)", text)
        if m:
            ws = re.findall(r"\w+", m.group(1))
            if consecutive:
                starts = [k for k in range(len(ws) - 2)
                          if not any(w.lower() in stop or len(w) < 2 for w in ws[k:k + 3])]
                ws = ws[starts[0]:] if starts else []
            else:
                ws = [w for w in ws if len(w) > 3]
            if len(ws) >= 3:
                out.append((" ".join(ws[:3]), m.group(1), md))
        if len(out) == n:
            break
    return out


def quote_ranks(site, out, n, consecutive):
    """Prints, for n quotes, whether the first result carries the quote and the rank of
    the quote's own article."""
    pages = {d.parent.name: str(d.relative_to(out)) for d in (out / "articles").rglob("index.html")}
    firsts, together, ranks, sizes = 0, 0, [], []
    stop = set(search_query.Index(str(out)).stop)
    for words, text, md in quote_words(site, n, consecutive, stop):
        href = pages.get(md.stem)
        shown, size, rank, quotes = search_query.search(str(out), words, href, quiet=True)
        # The three words one after the other in a quote of the first result (the corpus
        # repeats phrases: other articles may quote the same three words).
        apart = r"\W+".join(re.escape(w.lower()) for w in words.split())
        together += any(re.search(rf"\b{apart}\b", q.lower()) for q in quotes or [])
        sizes.append(size)
        ranks.append(rank)
        if shown:
            first = (out / shown[0]).read_text(encoding="utf-8")
            firsts += text.strip() in re.sub(r"<[^>]+>", "", html.unescape(first))
    shown_ranks = ", ".join(str(r) if r else "-" for r in ranks)
    how = "consecutive" if consecutive else "of four letters or more, apart"
    print(f"quote rank ({len(ranks)} quotes, three words {how}): the first result carries the quote "
          f"for {firsts} of {len(ranks)}; its quote holds the three words one after the other for "
          f"{together}; the quote's own article ranks {shown_ranks}; "
          f"{min(sizes):,}-{max(sizes):,} bytes")


def articles(site):
    return sum(1 for _ in (Path(site) / "content/articles").rglob("*.md"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sites", nargs="+")
    ap.add_argument("--gloss", default=str(HERE.parent / "target/release/gloss"))
    ap.add_argument("--baseline")
    ap.add_argument("--pagefind", default="npx")
    ap.add_argument("--no-pagefind", action="store_true")
    ap.add_argument("--work", default=tempfile.gettempdir())
    ap.add_argument("--queries", nargs="*", default=None)
    ap.add_argument("--quote-rank", nargs="?", type=int, const=20, default=0)
    ap.add_argument("--no-index", action="store_true")
    a = ap.parse_args()
    work = Path(a.work)
    for site in map(Path, a.sites):
        out = work / f"{site.name}-out"
        print(f"## {site}")
        if a.baseline:
            bw, bc, bp, idx = gloss_build(a.baseline, site, work / f"{site.name}-base")
            print(f"baseline gloss: {bw:.1f} s, CPU {bc:.1f} s, {bp:.0f} MB peak, index {idx} s")
        if a.no_index:
            nw, nc, np_, _ = gloss_build(a.gloss, site, work / f"{site.name}-noindex", True)
            print(f"gloss without the index: {nw:.1f} s, CPU {nc:.1f} s, {np_:.0f} MB peak")
            # Nothing reads it after: at 100k it is 5 GB of a shared disk.
            shutil.rmtree(work / f"{site.name}-noindex", ignore_errors=True)
        w, c, p, idx = gloss_build(a.gloss, site, out)
        print(f"gloss: {w:.1f} s, CPU {c:.1f} s, {p:.0f} MB peak, index {idx} s (beside the pages)")
        if a.no_index:
            print(f"the index costs: wall {100 * (w / nw - 1):+.0f}%, CPU {100 * (c / nc - 1):+.0f}%, "
                  f"peak {100 * (p / np_ - 1):+.0f}% ({(p - np_) * 1e6 / articles(site):,.0f} bytes per article)")
        if a.baseline:
            print(f"against the baseline: wall {100 * (w / bw - 1):+.0f}%, CPU {100 * (c / bc - 1):+.0f}%, "
                  f"peak {100 * (p / bp - 1):+.0f}% ({(p - bp) * 1e6 / articles(site):,.0f} bytes per article)")
        b, n = size(out / "search")
        print(f"gloss index: {b / 1e6:.1f} MB in {n:,} files")
        if not a.no_pagefind:
            cmd = [a.pagefind, "pagefind", "--site", str(out)] if a.pagefind == "npx" else [a.pagefind, "--site", str(out)]
            w, c, p, _ = timed(cmd)
            b, n = size(out / "pagefind")
            print(f"Pagefind: {w:.1f} s, CPU {c:.1f} s, {p:.0f} MB peak; {b / 1e6:.1f} MB in {n:,} files")
        for q in a.queries or []:
            search_query.search(str(out), q)
        if a.quote_rank:
            quote_ranks(site, out, a.quote_rank, True)
            quote_ranks(site, out, a.quote_rank, False)


if __name__ == "__main__":
    main()
