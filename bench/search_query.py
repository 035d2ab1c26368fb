#!/usr/bin/env python3
"""Replays gloss's client-side search (themes/default/static/search.js) on a built site.

For each query, prints the number of results, the first five, and the bytes a browser
with an empty cache would download: meta.json, the term shards and the document files
of the first page of results (10). Used for the README's comparison with Pagefind.

    python3 bench/search_query.py public "Nayib Bukele" "prison population"
"""
import json
import os
import re
import sys
import unicodedata

PER_PAGE = 10
# Field bits and weights, as in search.js.
FIELDS = [(1, 8), (2, 5), (4, 4), (8, 2), (16, 10)]
PREFIX_WEIGHT = 0.6
MAX_EXPANSION = 8


def fold(text):
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )


def terms(meta, query):
    out = []
    for word in re.findall(r"[^\W_]+", fold(query)):
        t = word[: meta["max_term"]]
        if len(t) >= 2 and t not in meta["stop_words"] and t not in out:
            out.append(t)
    return out


def shard_file(key):
    return key if re.fullmatch("[a-z0-9]+", key) else "_" + key.encode().hex()


def shard_keys(meta, keys, t):
    found = []
    for n in range(min(len(t), 8), 1, -1):
        if t[:n] in keys:
            found.append(t[:n])
            break
    if len(t) >= 3:
        longer = [k for k in meta["keys"] if len(k) > len(t) and k.startswith(t)]
        if len(longer) <= MAX_EXPANSION:
            found += longer
    return found


def search(site, meta, query):
    index = os.path.join(site, "search")
    keys = set(meta["keys"])
    bits = meta["field_bits"]
    fetched = [os.path.join(index, "meta.json")]
    found = []
    for t in terms(meta, query):
        weights = {}
        for key in shard_keys(meta, keys, t):
            path = os.path.join(index, "t", shard_file(key) + ".json")
            fetched.append(path)
            with open(path, encoding="utf-8") as f:
                shard = json.load(f)
            for term, postings in shard.items():
                exact = term == t
                if not exact and not (len(t) >= 3 and term.startswith(t)):
                    continue
                doc = 0
                for p in postings:
                    doc += p >> bits
                    w = max([wt for bit, wt in FIELDS if p & bit] or [0])
                    if not exact:
                        w *= PREFIX_WEIGHT
                    weights[doc] = max(weights.get(doc, 0), w)
        found.append(weights)
    found.sort(key=len)
    results = []
    for doc, w in (found[0].items() if found else []):
        score = w
        for other in found[1:]:
            if doc not in other:
                score = 0
                break
            score += other[doc]
        if score > 0:
            results.append((-score, doc))
    results.sort()
    shown = [doc for _, doc in results[:PER_PAGE]]
    per = meta["per_file"]
    files = {}
    for n in sorted({doc // per for doc in shown}):
        path = os.path.join(index, "d", f"{n}.json")
        fetched.append(path)
        with open(path, encoding="utf-8") as f:
            files[n] = json.load(f)
    size = sum(os.path.getsize(p) for p in fetched)
    first = [files[doc // per][doc % per]["h"] for doc in shown[:5]]
    print(f"{query!r}: {len(results)} results; {len(fetched)} files, {size:,} bytes")
    for href in first:
        print(f"    {href}")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    site = sys.argv[1]
    with open(os.path.join(site, "search", "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    meta["stop_words"] = set(meta["stop_words"])
    for query in sys.argv[2:]:
        search(site, meta, query)


if __name__ == "__main__":
    main()
