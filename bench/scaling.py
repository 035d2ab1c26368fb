#!/usr/bin/env python3
"""How gloss's per-article work grows with what one article holds: time and peak memory
of `gloss check` (all the per-article work: front matter, Markdown, anchoring, links,
hints; not the writing of pages, whose time on a shared disk drowns the rest) on a
one-article site, for N = 1k, 2k, 4k ... 48k, with the ratio to the previous N (a
doubling should cost about 2x when the work is linear). --build times `gloss build`.

Usage: bench/scaling.py [--gloss PATH] [--sizes 1000,2000,...] [--cases found,hints,...]
                        [--runs R] [--build] [--timeout SECONDS] [--work DIR] [--keep]
                        [--smoke]

Cases, each one article in a fresh site (site.yaml, 50 people, the article):
  found    N annotations, each `on:` a distinct sentence of an N-sentence body, all in
           one paragraph
  hints    the same, but every `on:` has one word changed, so none is found and each
           gets a nearest-passage hint ("did you mean ...?")
  broken   N links to unknown people (`[x](person:nobody-N)`) on one line
  links    N links to known people on one line
  aliases  front matter whose aliases fan a string of N bytes out 11,110 times (four
           levels of ten aliases each: far under the 100,000-value bound, N x 11,110
           bytes of text)
The cases that are errors by design (hints, broken, aliases) fail; the time and memory
are still those of finding and reporting every error (stderr is discarded).

Peak memory is gloss's maximum resident set size, from /usr/bin/time (else wait4, whose
figure is at least this script's own size at the fork: about 40 MB after the 48k sites). A
run that takes longer than --timeout (default 300 s) is killed and shown as `>T`; the
larger sizes of that case are skipped. With --runs R, each size is built R times and the
medians shown. Prints one Markdown table per case.

--smoke: sizes 1000 and 2000, every case, to check the script works. No timing is
asserted.

Measured 2026-12-01 on the project's 2-core machine (shared; seconds, before -> after
the changes that made this work linear; README.md "Work per article" has the table):
  N        found         hints          broken         aliases (peak RSS)
  8,000    0.39 -> 0.14  51.3 -> 0.15   10.1 -> 0.19   197 MB -> 12 MB
  16,000   1.26 -> 0.29  >120 -> 0.23   38.4 -> 0.44   387 MB -> 11 MB
  48,000   9.50 -> 0.74  >120 -> 0.76   >120 -> 0.74   1,059 MB -> 12 MB
Standard library only.
"""
import argparse, os, shutil, signal, statistics, subprocess, sys, tempfile, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = "1000,2000,4000,8000,16000,32000,48000"
CASES = ["found", "hints", "broken", "links", "aliases"]
PEOPLE = 50
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
SITE = "title: scaling\nbase_url: https://example.org/\n"


def sentence(i):
    # Zero-padded numbers: no sentence's passage is inside another's.
    return f"Reporter {i:06d} said the council met on Tuesday."


def article(case, n):
    fm = ["title: Scaling", "date: 2025-01-01"]
    body = ""
    if case in ("found", "hints"):
        fm.append("annotations:")
        for i in range(n):
            on = f"Reporter {i:06d} said" if case == "found" else f"Reporter {i:06d} told"
            fm.append(f'  - on: "{on}"\n    kind: context\n    note: "Note {i}."')
        # One paragraph: every mark in one run of text, the hardest case for marking.
        body = " ".join(sentence(i) for i in range(n)) + "\n"
    elif case == "broken":
        body = " ".join(f"[x](person:nobody-{i})" for i in range(n)) + "\n"
    elif case == "links":
        body = " ".join(f"[x](person:person-{i % PEOPLE:02d})" for i in range(n)) + "\n"
    elif case == "aliases":
        fm.append("extra:")
        fm.append(f"  s: &s \"{'x' * n}\"")
        prev = "s"
        for level in range(4):
            fm.append(f"  l{level}: &l{level} [{', '.join(['*' + prev] * 10)}]")
            prev = f"l{level}"
        body = "Text.\n"
    return "---\n" + "\n".join(fm) + "\n---\n" + body


def generate(case, n, work):
    site = work / f"{case}-{n}"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content/articles").mkdir(parents=True)
    (site / "content/people").mkdir(parents=True)
    (site / "site.yaml").write_text(SITE)
    for p in range(PEOPLE):
        (site / f"content/people/person-{p:02d}.md").write_text(f"---\nname: Person {p:02d}\n---\n")
    (site / "content/articles/scaling.md").write_text(article(case, n))
    return site


def timed(cmd, cwd, timeout):
    """Runs cmd; returns (wall seconds, peak RSS in MB, exit code), or None on timeout.

    The peak is measured by /usr/bin/time when it is there: a child's peak RSS counts its
    parent's memory at the fork, and this script holds the largest article it wrote."""
    t = time.perf_counter()
    with tempfile.NamedTemporaryFile("r") as out:
        wrapped = [TIME, "-q", "-f", "%M", "-o", out.name, *cmd] if TIME else cmd
        proc = subprocess.Popen(wrapped, cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = t + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                return None
            time.sleep(0.01)
        wall = time.perf_counter() - t
        kb = usage.ru_maxrss
        if TIME:
            lines = [l for l in out.read().split("\n") if l.strip().isdigit()]
            kb = int(lines[-1]) if lines else kb
    return wall, kb / 1024, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gloss", default=str(HERE.parent / "target/release/gloss"))
    ap.add_argument("--sizes", default=SIZES)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--runs", type=int, default=1, help="runs per size; the median is shown")
    ap.add_argument("--build", action="store_true", help="time `gloss build` instead of `gloss check`")
    ap.add_argument("--work")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.sizes = "1000,2000"
    gloss = os.path.abspath(a.gloss)
    if not os.access(gloss, os.X_OK):
        sys.exit(f"no gloss binary at {gloss}: cargo build --release, or pass --gloss")
    cases = a.cases.split(",")
    for c in cases:
        if c not in CASES:
            sys.exit(f"unknown case `{c}`: use {', '.join(CASES)}")
    sizes = [int(x) for x in a.sizes.split(",")]
    work = Path(a.work or tempfile.mkdtemp(prefix="gloss-scaling-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"gloss: {gloss}\nwork: {work}", flush=True)
    try:
        for case in cases:
            print(f"\n{case}\n\n| N | seconds | ratio | peak MB | ratio | exit |\n|---|---|---|---|---|---|", flush=True)
            prev = None
            for n in sizes:
                site = generate(case, n, work)
                runs = []
                for _ in range(a.runs):
                    shutil.rmtree(site / "public", ignore_errors=True)
                    cmd = [gloss, "build", "--quiet", "--output", str(site / "public")] if a.build \
                        else [gloss, "check", "--quiet"]
                    runs.append(timed(cmd, site, a.timeout))
                    if runs[-1] is None:
                        break
                r = None if None in runs else (
                    statistics.median(x[0] for x in runs), statistics.median(x[1] for x in runs), runs[-1][2])
                if r is None:
                    print(f"| {n:,} | >{a.timeout:.0f} | | | | killed |", flush=True)
                    break
                wall, mb, code = r
                if prev:
                    step = n / prev[0]
                    tr, mr = f"{wall / prev[1]:.1f}x", f"{mb / prev[2]:.1f}x"
                    if step != 2:
                        tr, mr = f"{tr} (/{step:.1f})", f"{mr} (/{step:.1f})"
                else:
                    tr = mr = ""
                print(f"| {n:,} | {wall:.2f} | {tr} | {mb:.0f} | {mr} | {code} |", flush=True)
                prev = (n, wall, mb)
                if not a.keep:
                    shutil.rmtree(site, ignore_errors=True)
    finally:
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
