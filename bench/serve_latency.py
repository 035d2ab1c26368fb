#!/usr/bin/env python3
"""Time from saving a file to `gloss serve`'s reload event, and to the updated page.

Usage: serve_latency.py --gloss PATH --site DIR [--edits 5] [--many 100] [--port 1111]
                         [--hugo PATH --hugo-site DIR [--hugo-port 1313]]

Starts `gloss serve` in DIR (a gloss bench corpus from ../shared/bench/gen_corpus.py),
listens on its event stream (/__gloss/events), and for each kind of edit writes the
file EDITS times, 1.5 s apart, measuring the time from the write to the `reload` (or
`css`) event and to the page showing the change:
  body      append a paragraph to one article's body
  quote     change the text of one quote in that article's front matter
  template  override templates/base.html with the default one plus a marker (every
            page changes: a full re-render)
Then makes MANY more body edits of articles picked at random (fixed seed), each waiting
for the reload and fetching the edited page, and prints the server's resident memory
(VmRSS and its peak VmHWM, from /proc/PID/status) after the first page and after them.
Restores every file, stops the server with SIGINT and prints medians in ms.
With --hugo, then does the same body edit on `hugo server` in the Hugo flavour of the
same corpus (the same article), polling the page until the change shows, and prints
both servers side by side: start to first page, and save to updated page.
Standard library only.
"""
import argparse, os, random, re, signal, socket, statistics, subprocess, sys, time, urllib.request
from pathlib import Path


def events(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.sendall(b"GET /__gloss/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    s.settimeout(120)
    buf = b""
    while b": gloss" not in buf:
        buf += s.recv(4096)
    return s


def wait_event(sock, names, timeout=120):
    buf = b""
    deadline = time.time() + timeout
    sock.settimeout(timeout)
    while time.time() < deadline:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
        for n in names:
            if f"event: {n}".encode() in buf:
                return n
    raise SystemExit(f"no {names} event; got {buf[-300:]!r}")


def memory(pid):
    """Resident and peak resident memory of a process, in MB (Linux)."""
    fields = {}
    try:
        for line in open(f"/proc/{pid}/status"):
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return f"RSS {fields.get('VmRSS', 0):.0f} MB (peak {fields.get('VmHWM', 0):.0f} MB)"


def page(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gloss", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--many", type=int, default=100)
    ap.add_argument("--port", type=int, default=1111)
    ap.add_argument("--hugo")
    ap.add_argument("--hugo-site")
    ap.add_argument("--hugo-port", type=int, default=1313)
    a = ap.parse_args()
    site = Path(a.site)
    articles = sorted((site / "content/articles").rglob("*.md"))
    article = articles[len(articles) // 2]
    slug = article.stem
    url = f"http://127.0.0.1:{a.port}/articles/{slug}/"
    template = site / "templates/base.html"
    base = (Path(__file__).resolve().parent.parent / "themes/default/templates/base.html").read_text()
    original = article.read_text()
    log = open(site / ".serve-latency.log", "w")
    proc, started = start_server([os.path.abspath(a.gloss), "serve", "--port", str(a.port)], site, url, log)
    results = {}
    try:
        print(f"first page served after {started:.2f} s; {memory(proc.pid)}")
        sock = events(a.port)

        def body(i, marker):
            article.write_text(original + f"\n\nEdited: {marker}.\n")

        def quote(i, marker):
            text = re.sub(r'(quotes:\n  - speaker: [^\n]+\n    text: ")', r"\g<1>" + marker + " ", original, count=1)
            assert text != original, "no quote to edit"
            article.write_text(text)

        def tmpl(i, marker):
            template.parent.mkdir(exist_ok=True)
            template.write_text(base.replace("</footer>", f"<!-- {marker} --></footer>"))

        for name, edit, check in [("body", body, url), ("quote", quote, url), ("template", tmpl, url)]:
            to_event, to_page = [], []
            for i in range(a.edits):
                time.sleep(1.5)
                marker = f"{name}{i}marker{os.getpid()}"
                t = time.time()
                edit(i, marker)
                wait_event(sock, ["reload", "css", "errors"])
                to_event.append((time.time() - t) * 1000)
                if check:
                    while marker not in page(check):
                        if time.time() - t > 60:
                            break
                        time.sleep(0.002)
                    to_page.append((time.time() - t) * 1000)
            if name != "template":
                article.write_text(original)
                wait_event(sock, ["reload", "css", "errors"])  # the restore's rebuild
            results[name] = (to_event, to_page)
            print(f"{name:9} save -> reload event ms: {[round(x) for x in to_event]} median {round(statistics.median(to_event))}"
                  + (f"; -> updated page median {round(statistics.median(to_page))}" if to_page else ""))
        if template.exists():
            template.unlink()
            wait_event(sock, ["reload", "css", "errors"])
        pick = random.Random(19)
        times = []
        for i in range(a.many):
            other = articles[pick.randrange(len(articles))]
            text = other.read_text()
            marker = f"many{i}marker{os.getpid()}"
            other_url = f"http://127.0.0.1:{a.port}/articles/{other.stem}/"
            t = time.time()
            other.write_text(text + f"\n\nEdited: {marker}.\n")
            wait_event(sock, ["reload", "css", "errors"])
            while marker not in page(other_url) and time.time() - t < 60:
                time.sleep(0.002)
            times.append((time.time() - t) * 1000)
            other.write_text(text)
            wait_event(sock, ["reload", "css", "errors"])
            time.sleep(0.1)
        if times:
            print(f"after {a.many} more body edits (each save -> updated page, median "
                  f"{round(statistics.median(times))} ms, max {round(max(times))} ms): {memory(proc.pid)}")
    finally:
        article.write_text(original)
        stop(proc)
        if template.exists():
            template.unlink()
            try:
                template.parent.rmdir()
            except OSError:
                pass
    if a.hugo:
        hugo_start, hugo_body = hugo(a, slug)
        gloss_body = statistics.median(results["body"][1])
        print(f"\n{'':28} {'gloss':>9} {'Hugo':>9} {'ratio':>7}")
        print(f"{'start -> first page, s':28} {started:9.2f} {hugo_start:9.2f} {hugo_start / started:6.1f}x")
        print(f"{'body edit -> new page, ms':28} {gloss_body:9.0f} {hugo_body:9.0f} {hugo_body / gloss_body:6.1f}x")


def start_server(cmd, site, url, log):
    """Starts a preview server in `site`; returns it and the seconds until `url` served a page."""
    t0 = time.time()
    proc = subprocess.Popen(cmd, cwd=site, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    while "<html" not in page(url).lower():
        if proc.poll() is not None or time.time() - t0 > 900:
            if proc.poll() is None:
                stop(proc)
            sys.exit(f"{cmd[0]} did not come up; see {log.name}")
        time.sleep(0.05)
    return proc, time.time() - t0


def stop(proc):
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def hugo(a, slug):
    """Start time and median body-edit latency (ms) of `hugo server` on the same article."""
    site = Path(a.hugo_site)
    article = site / "content/articles" / f"{slug}.md"
    url = f"http://127.0.0.1:{a.hugo_port}/articles/{slug}/"
    original = article.read_text()
    log = open(site / ".serve-latency.log", "w")
    proc, started = start_server([os.path.abspath(a.hugo), "server", "--port", str(a.hugo_port), "--bind", "127.0.0.1"],
                                 site, url, log)
    try:
        print(f"hugo: first page served after {started:.2f} s")
        times = []
        for i in range(a.edits):
            time.sleep(2)
            marker = f"hugo{i}marker{os.getpid()}"
            t = time.time()
            article.write_text(original + f"\n\nEdited: {marker}.\n")
            while marker not in page(url):
                if time.time() - t > 120:
                    break
                time.sleep(0.005)
            times.append((time.time() - t) * 1000)
        print(f"hugo: body save -> updated page ms: {[round(x) for x in times]} median {round(statistics.median(times))}")
        return started, statistics.median(times)
    finally:
        article.write_text(original)
        stop(proc)


if __name__ == "__main__":
    main()
