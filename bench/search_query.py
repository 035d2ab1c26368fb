#!/usr/bin/env python3
"""Replays gloss's client-side search (themes/default/static/search.js) on a built site.

For each query, prints the number of results, the first five, and the bytes a browser
with an empty cache would download: meta.json, the term shards (and the word table's
stems' shards), the positions of a phrase's words, and the document files of the first
page of results (10), phrase results checked in their text as the browser does. Used
for the README's figures and its comparison with Pagefind.

    python3 bench/search_query.py public "Nayib Bukele" '"we will continue"'
    python3 bench/search_query.py public --rank articles/x/index.html "three quote words"

--rank HREF also prints where the document with that href ranks (its document files
are read to find it, not counted as fetched).
"""
import base64
import json
import os
import re
import sys
import unicodedata

PER_PAGE = 10
# Field bits and weights, as in search.js.
FIELDS = [(1, 8), (2, 5), (4, 4), (8, 2), (16, 10), (32, 1)]
QUOTE = 4
ENTITY = 16
BODY = 32
PREFIX_WEIGHT = 0.6
PHRASE_WEIGHT = 1.5
MAX_EXPANSION = 8
MAX_CHECKS = 20
REST_BYTES = 64000
DROPPED = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
)
UNSPACED = re.compile(
    "[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff]"
)
KATAKANA = re.compile("[\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]")


def fold(word):
    w = unicodedata.normalize("NFKC", word).lower()
    return unicodedata.normalize("NFC", DROPPED.sub("", unicodedata.normalize("NFD", w)))


def words(text):
    """(word, start, end, unspaced) as src/text/words.rs finds them."""
    out, i, n = [], 0, len(text)
    while i < n:
        if not text[i].isalnum():
            i += 1
            continue
        j = i
        while j < n and (text[j].isalnum() or unicodedata.category(text[j]).startswith("M")
                         or text[j] in "\u200c\u200d"):
            j += 1
        start, kind = i, None
        for k in range(i, j):
            c = text[k]
            kk = "kata" if KATAKANA.match(c) else "one" if UNSPACED.match(c) else \
                (kind if kind and unicodedata.category(c).startswith("M") else "spaced")
            if kind and (kk != kind or kk == "one"):
                out.append((text[start:k], start, k, kind != "spaced"))
                start = k
            kind = kk
        out.append((text[start:j], start, j, kind != "spaced"))
        i = j
    return out


class Index:
    def __init__(self, site):
        self.dir = os.path.join(site, "search")
        self.meta = self.read("meta.json", count=False)
        self.stop = set(self.meta["stop_words"])
        self.keys = set(self.meta["keys"])
        self.split = set(self.meta["split"])
        self.fetched = {}
        # The query's looked-up words in order: (folded, marks, prefix), for quote_match.
        self.wanted = []
        # Per looked-up word, in order: its exact terms (factor 1), for the pair terms.
        self.exact = []

    def read(self, rel, count=True, optional=False):
        path = os.path.join(self.dir, rel)
        if optional and not os.path.exists(path):
            return None
        if count:
            self.fetched[rel] = os.path.getsize(path)
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    def keys_of(self, t):
        """As search.js: the key file of t's first two characters, else meta's keys."""
        root = t[:2]
        if root not in self.split:
            return self.keys
        return set(self.read(f"k/{shard_file(root)}.json"))

    def shard_of(self, t):
        keys = self.keys_of(t)
        for n in range(min(len(t), 8), 0, -1):
            if t[:n] in keys:
                return t[:n]
        return None

    def shard_keys(self, t, prefix):
        own = self.shard_of(t)
        keys = [own] if own else []
        if prefix:
            longer = sorted(k for k in self.keys_of(t) if len(k) > len(t) and k.startswith(t))
            if len(longer) <= MAX_EXPANSION:
                keys += longer
        return keys

    def shard(self, key):
        return self.read(f"t/{shard_file(key)}.json")

    def lookup(self, w, prefix, marks):
        found = {}
        for key in self.shard_keys(w, prefix):
            shard = self.shard(key)
            for term in shard["t"]:
                if term == w:
                    found[term] = max(found.get(term, 0), 1)
                elif prefix and term.startswith(w):
                    found[term] = max(found.get(term, 0), PREFIX_WEIGHT)
            for word, stems in shard["w"].items():
                f = 1 if word == w else PREFIX_WEIGHT if prefix and word.startswith(w) else 0
                for s in stems if f else []:
                    found[s] = max(found.get(s, 0), f)
        terms = []
        for term, factor in found.items():
            key = self.shard_of(term)
            entry = self.shard(key)["t"].get(term) if key else None
            if entry:
                terms.append((term, factor, entry, key, self.shard(key).get("p", [])))
                marks.add(term)
                marks.update(w for w, stems in self.shard(key)["w"].items() if term in stems)
        return terms

    def doc_set(self, s):
        if isinstance(s, str):
            bits = base64.b64decode(s)
            return {d for d in range(len(bits) * 8) if bits[d >> 3] >> (d & 7) & 1}
        out, d = set(), 0
        for x in s:
            d += x
            out.add(d)
        return out

    def entry_docs(self, entry, factor, into):
        bits = self.meta["field_bits"]

        def put(d, fields, w):
            had = into.get(d)
            into[d] = (max(had[0], w), had[1] | fields) if had else (w, fields)

        if isinstance(entry[1], dict):
            for bit, docs in entry[1].items():
                f = int(bit)
                for d in self.doc_set(docs):
                    put(d, f, weight(f) * factor)
            return
        d = 0
        for p in entry[1]:
            d += p >> bits
            put(d, p & ((1 << bits) - 1), weight(p & ((1 << bits) - 1)) * factor)

    def hits(self, text):
        """As search.js `count(text) > 0`: a word of text the query marks."""
        for w in words(text):
            f = fold(w[0])
            if f in self.marks or any(f.startswith(p) for p in self.prefixes):
                return True
        return False

    def snippet(self, doc):
        """Whether search.js finds a snippet in the body fetched so far: a block (so a
        sentence of it) with a word the query marks."""
        return any(self.hits(b) for b in doc.get("x", []) + doc.get("rest", []))

    def pair_docs(self):
        """As search.js: articles whose quotes hold each two consecutive query words."""
        seq = self.exact
        if len(seq) < 2:
            return None
        out = None
        for a, b in zip(seq, seq[1:]):
            docs = {}
            for key in (pair_key(x, y) for x in a for y in b):
                shard = self.shard_of(key)
                entry = self.shard(shard)["t"].get(key) if shard else None
                if entry:
                    self.entry_docs(entry, 1, docs)
            out = set(docs) if out is None else out & set(docs)
            if not out:
                break
        return out

    def positions(self, term):
        name, factor, entry, key, parts = term
        if entry[0] > self.meta["position_docs"]:
            return None
        n = sum(1 for first in parts if first <= name)
        file = self.read(f"p/{shard_file(key)}{'-%d' % n if n else ''}.json", optional=True) or {}
        flat = file.get(name, [])
        out, d, i = {}, 0, 0
        while i < len(flat):
            d += flat[i]
            n = flat[i + 1]
            p, ps = 0, []
            for x in flat[i + 2:i + 2 + n]:
                p += x
                ps.append(p)
            out[d] = ps
            i += 2 + n
        return out

    def clause_docs(self, clause, marks):
        phrase, ws = clause
        looked = []
        for f, offset in ws:
            if phrase and f in self.stop:
                continue
            prefix = not phrase and len(f) >= 3
            own = set()
            terms = self.lookup(f, prefix, own)
            looked.append((offset, terms))
            self.exact.append([t[0] for t in terms if t[1] == 1])
            marks.update(own)
            self.wanted.append((f, own, prefix))
        per_word = []
        for _, terms in looked:
            m = {}
            for t in terms:
                self.entry_docs(t[2], t[1], m)
            per_word.append(m)
        if not per_word:
            return {}
        out = intersect(per_word, PHRASE_WEIGHT if phrase else 1)
        if not phrase:
            return out
        placed = []
        for offset, terms in looked:
            maps = [self.positions(t) for t in terms]
            if maps and all(m is not None for m in maps):
                placed.append((offset, maps))
        if len(placed) < 2:
            return out
        for d in list(out):
            starts = None
            for offset, maps in placed:
                here = {x - offset for m in maps for x in m.get(d, [])}
                starts = here if starts is None else starts & here
            if not starts:
                del out[d]
        return out


def intersect(maps, factor):
    """As search.js: weights added, common fields kept, a common field's weight again."""
    maps.sort(key=len)
    out = {}
    for d, (w, f) in maps[0].items():
        if all(d in o for o in maps[1:]):
            for o in maps[1:]:
                w += o[d][0]
                f &= o[d][1]
            bonus = weight(f) * len(maps) if len(maps) > 1 else 0
            out[d] = ((w + bonus) * factor, f)
    return out


def weight(fields):
    return max([w for bit, w in FIELDS if fields & bit] or [0])


def shard_file(key):
    return key if re.fullmatch("[a-z0-9]+", key) else "_" + key.encode().hex()


def parse(index, q):
    clauses = []
    for n, part in enumerate(re.split("[\"“”„]", q)):
        ws = words(part)
        i = 0
        while i < len(ws):
            j = i + 1
            if n % 2:
                j = len(ws)
            elif ws[i][3]:
                while j < len(ws) and ws[j][3] and ws[j][1] == ws[j - 1][2]:
                    j += 1
            group = [(fold(w[0]), k) for k, w in enumerate(ws[i:j])]
            if len(group) > 1:
                clauses.append((True, group))
            elif group[0][0] not in index.stop and (len(group[0][0]) > 1 or ws[i][3]):
                clauses.append((False, group))
            i = j
    return clauses


def pair_key(a, b):
    """As collect.rs `pair_key`: `.` and the FNV-1a hash of the two terms in hex."""
    h = 0x811C9DC5
    for x in (a + " " + b).encode():
        h = ((h ^ x) * 0x01000193) & 0xFFFFFFFF
    return ".%08x" % h


def tier(doc, fields, pairs):
    """As search.js: an entity's own name, the words one after the other in quotes,
    the words in quotes, then the rest."""
    return 0 if fields & ENTITY else 1 if pairs and doc in pairs else 2 if fields & QUOTE else 3


def quote_match(index, doc):
    """As search.js: the query's words (stop words aside) in one quote, in order."""
    want = index.wanted
    if not want:
        return False
    for q in doc.get("q", []):
        k = 0
        for w in words(q[0]):
            f = fold(w[0])
            if k < len(want) and (f in want[k][1] or (want[k][2] and f.startswith(want[k][0]))):
                k += 1
        if k == len(want):
            return True
    return False


def has_phrase(text, clause):
    ws = [fold(w[0]) for w in words(text)]
    want = [f for f, _ in clause[1]]
    return any(ws[i:i + len(want)] == want for i in range(len(ws) - len(want) + 1))


def search(site, query, rank=None, quiet=False):
    """Replays `query`; prints what it fetched and found unless `quiet`; returns the
    hrefs shown, the bytes fetched and the rank of `rank` (None if not found)."""
    index = Index(site)
    index.fetched["meta.json"] = os.path.getsize(os.path.join(index.dir, "meta.json"))
    clauses = parse(index, query)
    marks = set()
    found = [index.clause_docs(c, marks) for c in clauses]
    # The words search.js marks: as its `query.marks` and `query.prefixes`.
    for phrase, ws in clauses:
        marks.update(f for f, _ in (ws if phrase else ws[:1]))
    index.marks = marks
    index.prefixes = [ws[0][0] for phrase, ws in clauses if not phrase and len(ws[0][0]) >= 3]
    pairs = index.pair_docs()
    results = sorted((tier(d, v[1], pairs), -v[0], d) for d, v in (intersect(found, 1).items() if found else []))
    results = [(t, d) for t, _, d in results]
    phrases = [c for c in clauses if c[0]]
    shown, at, rest_bytes, full = [], 0, 0, False
    # The quotes of the first result shown, for search_compare.py.
    index.first_quotes = None
    while len(shown) < PER_PAGE and at < len(results) and at < MAX_CHECKS and not full:
        batch = results[at:at + min(PER_PAGE - len(shown), MAX_CHECKS - at)]
        docs = [index.read(f"d/{d}.json") for _, d in batch]
        if at == 0:
            # The first page: words in one quote, in order, before the rest (search.js).
            keys = [0 if t == 0 else 1 if quote_match(index, doc) else 2 for (t, _), doc in zip(batch, docs)]
            order = sorted(range(len(batch)), key=lambda k: (keys[k], k))
            batch, docs = [batch[k] for k in order], [docs[k] for k in order]
            results[:len(batch)] = batch
        for (_, d), doc in zip(batch, docs):
            def has():
                texts = [doc["t"]] + [q[0] for q in doc.get("q", [])] + doc.get("x", []) + doc.get("rest", [])
                return all(any(has_phrase(t, c) for t in texts) for c in phrases)
            ok = has()
            if not ok and doc.get("r") and "rest" not in doc:
                if rest_bytes and rest_bytes + doc["r"] > REST_BYTES:
                    full = True
                    break
                rest_bytes += doc["r"]
                doc["rest"] = index.read(f"b/{d}.json")
                ok = has()
            at += 1
            if not ok:
                continue
            if not any(index.hits(q[0]) for q in doc.get("q", [])) and not index.snippet(doc) \
                    and doc.get("r") and "rest" not in doc:
                doc["rest"] = index.read(f"b/{d}.json")
            if not shown:
                index.first_quotes = [q[0] for q in doc.get("q", [])]
            shown.append(doc["h"])
    size = sum(index.fetched.values())
    found_at = None
    if rank:
        for k, (_, d) in enumerate(results):
            if index.read(f"d/{d}.json", count=False)["h"] == rank:
                found_at = k + 1
                break
    if quiet:
        return shown, size, found_at, index.first_quotes
    unsure = " (up to; phrase checked in the first %d)" % at if phrases and at < len(results) else ""
    print(f"{query!r}: {len(results)} results{unsure}; {len(index.fetched)} files, {size:,} bytes")
    by_kind = {}
    for rel, n in index.fetched.items():
        kind = rel.split("/")[0] if "/" in rel else rel
        files, total = by_kind.get(kind, (0, 0))
        by_kind[kind] = (files + 1, total + n)
    print("    " + ", ".join(f"{k}: {f} files {b:,} B" for k, (f, b) in sorted(by_kind.items())))
    for href in shown[:5]:
        print(f"    {href}")
    if rank:
        print(f"    rank of {rank}: {found_at}" if found_at else f"    {rank} is not found")
    return shown, size, found_at


def main():
    args = sys.argv[1:]
    rank = None
    if "--rank" in args:
        k = args.index("--rank")
        rank = args[k + 1]
        del args[k:k + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    for query in args[1:]:
        search(args[0], query, rank)


if __name__ == "__main__":
    main()
