#!/usr/bin/env python3
"""gloss against Hugo on the synthetic bench corpus: wall time, peak memory and output
size of a full build, side by side in one run, plus gloss's no-change rebuild. Prints a
Markdown table. With --slope, gloss's peak memory at N and 2N articles instead.

Usage: bench/compare.py [--sizes 1000,10000] [--runs 3] [--gloss PATH] [--hugo PATH]
                        [--hugo-max 100000] [--work DIR] [--keep] [--free-disk] [--smoke]
       bench/compare.py --slope N [--runs 3] [--gloss PATH] [--work DIR]

For each size N it generates the gloss and Hugo flavours of the same archive with
bench/gen_corpus.py (a copy of ../shared/bench/gen_corpus.py, seed 1), then builds each
RUNS times, alternating Hugo and gloss, each into a fresh output folder (none is deleted
until the end: deleting just before a build slows writes), and takes medians. Peak
memory is the child's own maximum resident set size (wait4), so no `time` binary is
needed. The no-change rebuild is `gloss build` again into the last output folder (gloss
sees from the sources' fingerprint that nothing changed).
Hugo is skipped when not found (--hugo, else `hugo` on PATH).

Output size is what `du` counts (4 KiB blocks, folders included; what a disk or a
bucket is billed for) and, beside it, the sum of the files' own sizes.
Hugo is not run above --hugo-max articles (it took 15 minutes at 100k; at 1M it would
take hours): those rows are gloss alone. --free-disk deletes each size's corpora and
outputs once it is measured, so a 1M run (11 GB of corpus, tens of GB of output)
never holds two sizes at once.

--slope N: builds gloss's corpus of N and of 2N articles (each RUNS times, medians) and
reports the peak RSS of each and the slope, (peak(2N) - peak(N)) / N, in KB per article:
what each further article costs in memory. A build whose memory is bounded has a small
slope; one that holds every page has a large one.

--smoke: one size of 1,000 articles, one run, and checks instead of a table's worth of
time: gloss builds, writes every page Hugo would (when Hugo is there), and a second build
writes nothing. No timing is asserted. CI runs this so the script keeps working.
Standard library only.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(cmd, cwd):
    """Runs cmd; returns (wall seconds, peak RSS in MB, stderr text)."""
    wall, _, peak, text = timed_cpu(cmd, cwd)
    return wall, peak, text


def timed_cpu(cmd, cwd, env=None):
    """Runs cmd with `env` added to the environment; returns (wall seconds, CPU seconds
    (user + system), peak RSS in MB, stderr text)."""
    t = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed in {cwd}:\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def html_pages(out):
    return sum(1 for _ in Path(out).rglob("*.html"))


def disk_usage(out):
    """(du bytes: 4 KiB blocks of files and folders, files' own bytes) of a folder."""
    du = files = 0
    for dirpath, _, filenames in os.walk(out):
        du += 4096
        for f in filenames:
            size = os.lstat(os.path.join(dirpath, f)).st_size
            files += size
            du += -(-size // 4096) * 4096
    return du, files


def mib(n):
    return f"{n / 2**20:,.0f} MiB"


def slope(a, gloss, work):
    """Peak RSS of gloss at N and 2N articles, and the KB each further article costs."""
    n = a.slope
    peaks = []
    for size in (n, 2 * n):
        site = generate(size, work, "gloss")
        rss = []
        for run in range(1, a.runs + 1):
            out = work / f"out-gloss-{size}-slope-{run}"
            wall, peak, _ = timed([gloss, "build", "--quiet", "--output", str(out)], site)
            rss.append(peak)
            print(f"  gloss {size:>7} run {run}: {wall:7.2f} s {peak:8.1f} MB", flush=True)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(site / ".gloss", ignore_errors=True)
        peaks.append(statistics.median(rss))
        if a.free_disk:
            shutil.rmtree(site, ignore_errors=True)
    per_article = (peaks[1] - peaks[0]) * 1024 / n
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, medians of {a.runs} run(s)\n")
    print("| articles | gloss peak RSS | articles | gloss peak RSS | slope |")
    print("|---|---|---|---|---|")
    print(f"| {n:,} | {peaks[0]:,.0f} MB | {2 * n:,} | {peaks[1]:,.0f} MB | {per_article:,.1f} KB per article |")


def generate(n, work, flavor):
    site = work / f"{flavor}-{n}"
    if not (site / "bench-manifest.json").exists():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--articles", str(n),
                        "--flavor", flavor, "--out", str(site), "--force"],
                       check=True, stderr=subprocess.DEVNULL)
    return site


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gloss", default=str(HERE.parent / "target/release/gloss"))
    ap.add_argument("--hugo", default=shutil.which("hugo"))
    ap.add_argument("--work")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--hugo-max", type=int, default=100000)
    ap.add_argument("--free-disk", action="store_true")
    ap.add_argument("--slope", type=int, metavar="N")
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.sizes, a.runs = "1000", 1
    gloss = os.path.abspath(a.gloss)
    if not os.access(gloss, os.X_OK):
        sys.exit(f"no gloss binary at {gloss}: cargo build --release, or pass --gloss")
    hugo = a.hugo if a.hugo and os.access(a.hugo, os.X_OK) else None
    work = Path(a.work or tempfile.mkdtemp(prefix="gloss-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"gloss: {gloss}\nhugo: {hugo or 'not found, skipped'}\nwork: {work}", flush=True)
    if hugo:
        print(subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip())
    if a.slope:
        try:
            slope(a, gloss, work)
        finally:
            if not a.keep and not a.work:
                shutil.rmtree(work, ignore_errors=True)
        return
    rows = []
    try:
        for n in [int(x) for x in a.sizes.split(",")]:
            gsite = generate(n, work, "gloss")
            hsite = generate(n, work, "hugo") if hugo and n <= a.hugo_max else None
            g, h = [], []
            for run in range(1, a.runs + 1):
                if hsite:
                    out = work / f"out-hugo-{n}-{run}"
                    wall, rss, _ = timed([hugo, "--quiet", "-d", str(out)], hsite)
                    h.append((wall, rss, html_pages(out)))
                    print(f"  hugo  {n:>7} run {run}: {wall:7.2f} s {rss:8.1f} MB {h[-1][2]} HTML pages", flush=True)
                out = work / f"out-gloss-{n}-{run}"
                # A cold build: no build cache and no earlier output (an earlier run's
                # would make this a rebuild that renders nothing).
                shutil.rmtree(gsite / ".gloss", ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
                wall, rss, _ = timed([gloss, "build", "--quiet", "--output", str(out)], gsite)
                g.append((wall, rss, html_pages(out)))
                print(f"  gloss {n:>7} run {run}: {wall:7.2f} s {rss:8.1f} MB {g[-1][2]} HTML pages", flush=True)
            again, again_rss, log = timed([gloss, "build", "--output", str(out)], gsite)
            print(f"  gloss {n:>7} no-change rebuild: {again:.2f} s {again_rss:.1f} MB", flush=True)
            gdu = disk_usage(out)
            hdu = disk_usage(work / f"out-hugo-{n}-1") if hsite else None
            print(f"  output {n:>7}: gloss {mib(gdu[0])} ({mib(gdu[1])} in files)"
                  + (f", Hugo {mib(hdu[0])} ({mib(hdu[1])} in files)" if hdu else ""), flush=True)
            if a.smoke:
                if "nothing changed" not in log and "(0 written" not in log:
                    sys.exit(f"a rebuild with no change wrote files: {log.strip()}")
                if h and g[0][2] < h[0][2]:
                    sys.exit(f"gloss wrote {g[0][2]} HTML pages, Hugo {h[0][2]}")
            med = lambda xs, i: statistics.median(x[i] for x in xs)
            rows.append((n, med(h, 0) if h else None, med(h, 1) if h else None, med(g, 0), med(g, 1),
                         again, med(h, 2) if h else None, med(g, 2), hdu, gdu))
            if a.free_disk:
                for p in work.glob(f"out-*-{n}-*"):
                    shutil.rmtree(p, ignore_errors=True)
                for p in (gsite, hsite):
                    if p:
                        shutil.rmtree(p, ignore_errors=True)
    finally:
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, medians of {a.runs} run(s)\n")
    print("| articles | Hugo wall | gloss wall | faster | Hugo peak RSS | gloss peak RSS | leaner | gloss no-change rebuild | HTML pages Hugo / gloss | output Hugo / gloss (du) | gloss/Hugo bytes |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, hw, hr, gw, gr, again, hp, gp, hdu, gdu in rows:
        f = lambda v, unit: f"{v:,.2f} {unit}" if unit == "s" else f"{v:,.0f} {unit}"
        ratio = lambda x, y: f"{x / y:.1f}x" if x else "-"
        size = f"{mib(hdu[0]) if hdu else '-'} / {mib(gdu[0])}"
        print(f"| {n:,} | {f(hw, 's') if hw else '-'} | {f(gw, 's')} | {ratio(hw, gw)} | "
              f"{f(hr, 'MB') if hr else '-'} | {f(gr, 'MB')} | {ratio(hr, gr)} | {f(again, 's')} | "
              f"{int(hp) if hp else '-'} / {int(gp)} | {size} | {f'{gdu[0] / hdu[0]:.2f}x' if hdu else '-'} |")


if __name__ == "__main__":
    main()
