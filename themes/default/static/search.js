// gloss search: reads the index `gloss build` writes under search/ (README.md, section
// Search). A query downloads meta.json once, one shard per word, the positions of a
// phrase's rarer words, and the documents it shows; a filter, one small file. Nothing
// else. Every text goes into the page as text, never as HTML.
(() => {
  "use strict";
  const form = document.querySelector("form[data-search-root]");
  if (!form || !window.fetch) return;
  const root = form.dataset.searchRoot;
  const input = form.querySelector("input[name=q]");
  const status = document.querySelector(".search-status");
  const list = document.querySelector(".search-results");
  const more = document.querySelector(".search-more");
  const filterNames = ["year", "lang", "person", "topic", "outlet"];
  const PER_PAGE = 10;
  // The page's strings (`data-i18n`, from the theme's translation files), English
  // when a theme gives none; `{name}` placeholders are filled in.
  const T = JSON.parse(form.dataset.i18n || "{}");
  const say = (key, english, args = {}) =>
    (T[key] || english).replace(/\{(\w+)\}/g, (m, k) => (k in args ? String(args[k]) : m));
  const KINDS = {
    a: say("search_kind_article", "Article"),
    p: say("search_kind_person", "Person"),
    t: say("search_kind_topic", "Topic"),
    o: say("search_kind_outlet", "Outlet"),
  };
  // "3 results": the form of the count's plural category in the page's language.
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  const counted = (n, query) => {
    const forms = T.search_results || {};
    const english = n === 1 ? "{count} result for “{query}”" : "{count} results for “{query}”";
    return (forms[plural.select(n)] || forms.other || english)
      .replace("{count}", String(n)).replace("{query}", query);
  };
  // Field bits of a posting and their weights (src/render/search/mod.rs, `field`):
  // headline, a name the article gives, quote, summary, a person's, topic's or outlet's
  // own name, body. A word matched by its beginning only counts less; a phrase more.
  const FIELDS = [[1, 8], [2, 5], [4, 4], [8, 2], [16, 10], [32, 1]];
  const QUOTE = 4;
  const ENTITY = 16;
  const BODY = 32;
  const PREFIX_WEIGHT = 0.6;
  const PHRASE_WEIGHT = 1.5;
  const MAX_EXPANSION = 8;
  // Documents a page of phrase results checks in their text at most, and the bytes of
  // the rest of their bodies it fetches for that at most (beyond the first): a document
  // file holds the body's beginning, `b/N.json` the rest.
  const MAX_CHECKS = 20;
  const REST_BYTES = 64000;

  let meta = null;
  const cache = new Map();
  let current = 0;
  let results = [];
  let shown = 0;
  let query = null;

  async function json(path, fresh) {
    const url = root + "search/" + path + (meta && !fresh ? "?v=" + meta.version : "");
    const r = await fetch(url, fresh ? { cache: "no-cache" } : {});
    if (!r.ok) throw new Error(r.status + " " + r.statusText + " for " + url);
    return r.json();
  }

  // Each file once, whoever asks; a missing optional file is null.
  function load(path, optional) {
    if (!cache.has(path)) {
      cache.set(path, json(path).catch((e) => {
        if (optional) return null;
        throw e;
      }));
    }
    return cache.get(path);
  }

  async function loadMeta() {
    if (meta) return meta;
    const m = await json("meta.json", true);
    if (m.format !== 5) throw new Error("unknown index format " + m.format);
    m.stop = new Set(m.stop_words);
    m.keySet = new Set(m.keys);
    m.splitSet = new Set(m.split);
    meta = m;
    fillFilters();
    return m;
  }

  // Folding as src/text/terms.rs `fold_term`: compatibility form, lower case, accents
  // and diacritics dropped (Arabic harakat and tatweel too).
  const DROPPED = /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
  function fold(word) {
    return word.normalize("NFKC").toLowerCase().normalize("NFD").replace(DROPPED, "").normalize("NFC");
  }

  // Words as src/text/words.rs finds them: runs of letters and digits; each Han
  // ideograph and hiragana a word, a katakana run one word.
  const RUN = /[\p{Alphabetic}\p{N}][\p{Alphabetic}\p{N}\p{M}\u200C\u200D]*/gu;
  const UNSPACED = /[\u2E80-\u2FDF\u3005-\u3007\u3021-\u3029\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{3FFFF}]/u;
  const KATAKANA = /[\u30A1-\u30FA\u30FC-\u30FF\u31F0-\u31FF\uFF66-\uFF9F]/u;
  function words(text) {
    const out = [];
    for (const m of text.matchAll(RUN)) {
      let start = m.index;
      let kind = null;
      let at = m.index;
      const flush = (end) => {
        if (end > start) out.push({ w: text.slice(start, end), start, end, unspaced: kind !== "spaced" });
        start = end;
      };
      for (const c of m[0]) {
        const k = KATAKANA.test(c) ? "kata" : UNSPACED.test(c) ? "one" : /\p{M}|\u200C|\u200D/u.test(c) && kind ? kind : "spaced";
        if (kind && (k !== kind || k === "one")) flush(at);
        kind = k;
        at += c.length;
      }
      flush(at);
    }
    return out;
  }

  // The query as clauses: each bare word, each "quoted phrase", and each run of
  // unspaced words written together (a Chinese or Japanese word), which is a phrase.
  function parse(q) {
    const clauses = [];
    const parts = q.split(/["“”„]/);
    parts.forEach((part, n) => {
      const quoted = n % 2 === 1;
      const ws = words(part);
      for (let i = 0; i < ws.length; i++) {
        let j = i + 1;
        if (quoted) j = ws.length;
        else if (ws[i].unspaced) while (j < ws.length && ws[j].unspaced && ws[j].start === ws[j - 1].end) j++;
        const group = ws.slice(i, j).map((w, k) => ({ fold: fold(w.w), offset: k }));
        i = j - 1;
        if (group.length > 1) clauses.push({ phrase: true, words: group, text: part });
        else if (!meta.stop.has(group[0].fold) && (Array.from(group[0].fold).length > 1 || ws[i].unspaced)) {
          clauses.push({ phrase: false, words: group });
        }
      }
    });
    return clauses;
  }

  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    const hex = Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0"));
    return "_" + hex.join("");
  }

  // The keys `t` may be under: those of its first two characters' key file where
  // longer keys start with them (README, Search: the index files), else meta's.
  async function keysOf(t) {
    const root = Array.from(t).slice(0, 2).join("");
    if (!meta.splitSet.has(root)) return meta.keySet;
    return new Set(await load("k/" + shardFile(root) + ".json"));
  }

  // The shard that holds `t`: the longest key `t` starts with.
  async function shardOf(t) {
    const keys = await keysOf(t);
    const chars = Array.from(t);
    for (let n = Math.min(chars.length, 8); n >= 1; n--) {
      const k = chars.slice(0, n).join("");
      if (keys.has(k)) return k;
    }
    return null;
  }

  // The shards that may hold `t` and, for a prefix, the keys that start with it.
  async function shardKeys(t, prefix) {
    const keys = [];
    const own = await shardOf(t);
    if (own) keys.push(own);
    if (prefix) {
      const longer = [...(await keysOf(t))].filter((k) => k.length > t.length && k.startsWith(t));
      if (longer.length <= MAX_EXPANSION) keys.push(...longer);
    }
    return keys;
  }

  const loadShard = (key) => load("t/" + shardFile(key) + ".json");

  // The terms a folded word stands for, each with its factor: the word itself if it is
  // a term, the stems the word table gives it, and for a prefix the terms and words it
  // begins. Also notes every written word that stems to one of them, for marking.
  async function lookup(w, prefix, marks) {
    const found = new Map();
    const add = (term, factor) => found.set(term, Math.max(found.get(term) || 0, factor));
    for (const key of await shardKeys(w, prefix)) {
      const shard = await loadShard(key);
      for (const [term] of Object.entries(shard.t)) {
        if (term === w) add(term, 1);
        else if (prefix && term.startsWith(w)) add(term, PREFIX_WEIGHT);
      }
      for (const [word, stems] of Object.entries(shard.w)) {
        if (word === w) stems.forEach((s) => add(s, 1));
        else if (prefix && word.startsWith(w)) stems.forEach((s) => add(s, PREFIX_WEIGHT));
      }
    }
    const terms = [];
    for (const [term, factor] of found) {
      const key = await shardOf(term);
      if (!key) continue;
      const shard = await loadShard(key);
      const entry = shard.t[term];
      if (!entry) continue;
      terms.push({ term, factor, entry, key, parts: shard.p || [] });
      for (const [word, stems] of Object.entries(shard.w)) if (stems.includes(term)) marks.add(word);
      marks.add(term);
    }
    return terms;
  }

  // A document set (a list of differences, or a base64 bitmap) as a membership test.
  function docSet(set) {
    if (typeof set === "string") {
      const bits = Uint8Array.from(atob(set), (c) => c.charCodeAt(0));
      return { has: (d) => (bits[d >> 3] >> (d & 7)) & 1, each(f) { for (let d = 0; d < bits.length * 8; d++) if (this.has(d)) f(d); } };
    }
    const docs = new Set();
    let d = 0;
    for (const x of set) docs.add((d += x));
    return { has: (x) => docs.has(x), each: (f) => docs.forEach(f) };
  }

  function weightOf(fields) {
    let w = 0;
    for (const [bit, weight] of FIELDS) if (fields & bit) w = Math.max(w, weight);
    return w;
  }

  // Documents of a term's entry with their weight (times `factor`) and fields: postings,
  // or for a term in many documents a document set per field.
  function entryDocs(entry, factor, into) {
    const [, postings] = entry;
    const mask = (1 << meta.field_bits) - 1;
    const put = (doc, fields, w) => {
      const had = into.get(doc);
      if (!had) into.set(doc, { w, f: fields });
      else {
        had.w = Math.max(had.w, w);
        had.f |= fields;
      }
    };
    if (!Array.isArray(postings)) {
      for (const [bit, set] of Object.entries(postings)) {
        const f = Number(bit);
        docSet(set).each((doc) => put(doc, f, weightOf(f) * factor));
      }
      return;
    }
    let doc = 0;
    for (const p of postings) {
      doc += Math.floor(p / (1 << meta.field_bits));
      put(doc, p & mask, weightOf(p & mask) * factor);
    }
  }

  // `a` before `b` in code point order, as the index sorts its terms.
  function before(a, b) {
    const x = Array.from(a, (c) => c.codePointAt(0));
    const y = Array.from(b, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i];
    return x.length < y.length;
  }

  // Positions by document of term `t` (in shard `key`), or null if not kept. The shard's
  // positions are in files; `t.parts` names the first term of each after the first.
  async function positions(t) {
    if (t.entry[0] > meta.position_docs) return null;
    const n = t.parts.filter((first) => !before(t.term, first)).length;
    const file = await load("p/" + shardFile(t.key) + (n ? "-" + n : "") + ".json", true);
    const flat = file && file[t.term];
    if (!flat) return new Map();
    const out = new Map();
    let doc = 0;
    for (let i = 0; i < flat.length;) {
      doc += flat[i];
      const n = flat[i + 1];
      const list = [];
      let p = 0;
      for (let k = 0; k < n; k++) list.push((p += flat[i + 2 + k]));
      out.set(doc, list);
      i += 2 + n;
    }
    return out;
  }

  // The documents in every one of `maps` (document -> {w, f}), their weights added
  // (times `factor`), fields kept in common. Words all in one field of a document (all
  // in its quotes, say) add that field's weight once more each: the quote's article
  // ranks first for words of its quote.
  function intersect(maps, factor) {
    maps.sort((x, y) => x.size - y.size);
    const out = new Map();
    for (const [doc, first] of maps[0]) {
      let w = first.w;
      let f = first.f;
      let all = true;
      for (let i = 1; i < maps.length && all; i++) {
        const v = maps[i].get(doc);
        if (v) {
          w += v.w;
          f &= v.f;
        } else all = false;
      }
      if (all) out.set(doc, { w: (w + (maps.length > 1 ? weightOf(f) * maps.length : 0)) * factor, f });
    }
    return out;
  }

  // Documents of a clause with their weights: any of a word's terms; every word of a
  // phrase, at consecutive positions where the index keeps them.
  async function clauseDocs(clause, marks) {
    const looked = [];
    for (const w of clause.words) {
      if (clause.phrase && meta.stop.has(w.fold)) continue;
      const prefix = !clause.phrase && Array.from(w.fold).length >= 3;
      // The word's own marks: the written forms a quote is matched against.
      w.marks = new Set();
      w.prefix = prefix;
      const terms = await lookup(w.fold, prefix, w.marks);
      // The terms the word is exactly (not by its beginning): those its quote pairs have.
      w.exact = terms.filter((t) => t.factor === 1).map((t) => t.term);
      looked.push({ w, terms });
      w.marks.forEach((m) => marks.add(m));
    }
    const perWord = looked.map(({ terms }) => {
      const m = new Map();
      for (const t of terms) entryDocs(t.entry, t.factor, m);
      return m;
    });
    if (!perWord.length) return new Map();
    const out = intersect(perWord, clause.phrase ? PHRASE_WEIGHT : 1);
    if (!clause.phrase) return out;
    // Positions of the words whose terms keep them; the rest is checked in the text.
    const placed = [];
    for (const { w, terms } of looked) {
      const maps = await Promise.all(terms.map(positions));
      if (maps.length && maps.every((m) => m)) placed.push({ offset: w.offset, maps });
    }
    if (placed.length < 2) return out;
    const at = (p, doc) => {
      const set = new Set();
      for (const m of p.maps) for (const x of m.get(doc) || []) set.add(x - p.offset);
      return set;
    };
    for (const doc of [...out.keys()]) {
      let starts = at(placed[0], doc);
      for (let i = 1; i < placed.length && starts.size; i++) {
        const next = at(placed[i], doc);
        starts = new Set([...starts].filter((s) => next.has(s)));
      }
      if (!starts.size) out.delete(doc);
    }
    return out;
  }

  // The pair term of two consecutive quote words, as src/render/search/collect.rs
  // `pair_key`: `.` and the 32-bit FNV-1a hash of the two terms, space apart, in hex.
  function pairKey(a, b) {
    let h = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(a + " " + b)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    return "." + h.toString(16).padStart(8, "0");
  }

  // The articles whose quotes hold every two consecutive words of the query (stop
  // words aside) one after the other, from the pair terms; null for fewer than two.
  async function pairDocs(clauses) {
    const seq = clauses.flatMap((c) => c.words.filter((w) => w.exact));
    if (seq.length < 2) return null;
    let out = null;
    for (let i = 1; i < seq.length && (!out || out.size); i++) {
      const keys = seq[i - 1].exact.flatMap((a) => seq[i].exact.map((b) => pairKey(a, b)));
      const docs = new Map();
      for (const key of keys) {
        const shard = await shardOf(key);
        const entry = shard && (await loadShard(shard)).t[key];
        if (entry) entryDocs(entry, 1, docs);
      }
      out = out ? new Set([...out].filter((d) => docs.has(d))) : new Set(docs.keys());
    }
    return out;
  }

  // A phrase written in a text (case and accents aside, every word as written).
  function hasPhrase(text, clause) {
    const ws = words(text).map((w) => fold(w.w));
    const want = clause.words.map((w) => w.fold);
    for (let i = 0; i + want.length <= ws.length; i++) {
      if (want.every((f, k) => ws[i + k] === f)) return true;
    }
    return false;
  }

  // The query's words (stop words aside) in one quote of the document, in order: the
  // quote's article ranks first for words of its quote (README, Search: ranking).
  function quoteMatch(doc) {
    const want = query.clauses.flatMap((c) => c.words).filter((w) => w.marks);
    if (!want.length) return false;
    return (doc.q || []).some(([text]) => {
      let k = 0;
      for (const x of words(text)) {
        const f = fold(x.w);
        if (k < want.length && (want[k].marks.has(f) || (want[k].prefix && f.startsWith(want[k].fold)))) k++;
      }
      return k === want.length;
    });
  }

  // Results (`[doc, weight, fields]`) come in tiers before their weights: a person,
  // topic or outlet whose own name holds every word, then articles whose quotes hold
  // the words one after the other (the pair terms), then those whose quotes hold every
  // word, then the rest.
  const tier = ([doc, , fields]) =>
    fields & ENTITY ? 0 : query.pairs && query.pairs.has(doc) ? 1 : fields & QUOTE ? 2 : 3;

  // A document's body as far as it is fetched: the blocks of its file, then (`rest`)
  // the others, from `b/N.json`, where its file says there are some (`r`, their bytes).
  const bodyOf = (doc) => [...(doc.x || []), ...(doc.rest || [])];

  function texts(doc) {
    return [doc.t, ...(doc.q || []).map((q) => q[0]), ...bodyOf(doc)];
  }

  async function fetchRest(d, doc) {
    if (doc.r && !doc.rest) doc.rest = await load("b/" + d + ".json");
  }

  // Filters: each a membership test, from the address or the form.
  async function filterTests(params) {
    const tests = [];
    const year = params.get("year");
    if (year) {
      const ranges = meta.years.filter(([y]) => String(y) === year);
      tests.push((d) => ranges.some(([, a, b]) => d >= a && d < b));
    }
    const lang = params.get("lang");
    if (lang && meta.languages.length > 1) {
      const set = await load("f/l/" + shardFile(lang.toLowerCase()) + ".json", true);
      const s = set ? docSet(set) : { has: () => false };
      tests.push((d) => s.has(d));
    }
    for (const [name, kind] of [["person", "p"], ["topic", "t"], ["outlet", "o"]]) {
      const id = (params.get(name) || "").trim();
      if (!id) continue;
      const ids = await load("f/" + kind + "/" + shardFile(Array.from(id).slice(0, 2).join("")) + ".json", true);
      const n = ids && ids[id];
      if (n === undefined) {
        tests.push(() => false);
        continue;
      }
      const doc = await loadDoc(n);
      const s = docSet(doc.a || []);
      tests.push((d) => s.has(d));
    }
    return tests;
  }

  const loadDoc = (d) => load("d/" + d + ".json");

  function el(tag, className) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    return e;
  }

  function hits(word) {
    const f = fold(word);
    return query.marks.has(f) || query.prefixes.some((p) => f.startsWith(p));
  }

  // `text` into `parent`, the words the query matches in <mark>.
  function highlight(parent, text) {
    let at = 0;
    for (const w of words(text)) {
      if (!hits(w.w)) continue;
      parent.append(text.slice(at, w.start));
      const mark = el("mark");
      mark.textContent = w.w;
      parent.append(mark);
      at = w.end;
    }
    parent.append(text.slice(at));
  }

  const count = (text) => words(text).filter((w) => hits(w.w)).length;

  // The sentence of the body that matches best, with `…` where the block goes on.
  function snippet(doc) {
    let best = null;
    let score = 0;
    for (const block of bodyOf(doc)) {
      if (count(block) <= score) continue;
      const seg = window.Intl && Intl.Segmenter ? new Intl.Segmenter(doc.l, { granularity: "sentence" }) : null;
      const sentences = seg ? Array.from(seg.segment(block), (s) => s.segment) : [block];
      for (const s of sentences) {
        const phraseBonus = query.clauses.some((c) => c.phrase && hasPhrase(s, c)) ? 100 : 0;
        const n = count(s) + phraseBonus;
        if (n > score) {
          score = n;
          const trimmed = s.trim();
          best = (block.startsWith(trimmed) ? "" : "… ") + trimmed + (block.endsWith(trimmed) ? "" : " …");
        }
      }
    }
    return best;
  }

  function item(doc) {
    const li = el("li", "search-result");
    const h = el("h2");
    const a = el("a");
    a.href = root + doc.h;
    if (doc.l) a.lang = doc.l;
    highlight(a, doc.t);
    h.append(a);
    const about = el("p", "search-kind");
    about.append(KINDS[doc.k] || "");
    if (doc.d) {
      about.append(" · ");
      const time = el("time");
      time.dateTime = doc.d;
      time.textContent = doc.d;
      about.append(time);
    }
    li.append(h, about);
    const quote = (doc.q || []).find(([text]) => count(text));
    const body = quote ? null : snippet(doc);
    if (quote) {
      const [text, speaker, fragment, n] = quote;
      const bq = el("blockquote", "search-quote");
      const p = el("p");
      highlight(p, "“" + text + "”");
      const cite = el("p", "search-cite");
      const link = el("a");
      link.href = root + doc.h + "#" + fragment;
      link.textContent = say("search_quote_n", "{speaker}, quote {n}", { speaker, n });
      cite.append("— ", link);
      bq.append(p);
      li.append(bq, cite);
    } else if (body) {
      const p = el("p", "search-snippet");
      highlight(p, body);
      li.append(p);
    } else if (doc.s) {
      const p = el("p", "search-summary");
      highlight(p, doc.s);
      li.append(p);
    }
    if (doc.l) li.lang = doc.l;
    return li;
  }

  // Shows the next page of results; a phrase's documents are checked in their text
  // first (stop words and common words have no positions), and dropped if it is not:
  // in the body's beginning, then in its rest while the page's budget lasts.
  async function showMore(run) {
    const phrases = query.clauses.filter((c) => c.phrase);
    let added = 0;
    let checked = 0;
    let restBytes = 0;
    let full = false;
    // The page's results, shown together once all are checked.
    const items = [];
    while (added < PER_PAGE && shown < results.length && checked < MAX_CHECKS && !full) {
      const start = shown;
      let batch = results.slice(start, start + Math.min(PER_PAGE - added, MAX_CHECKS - checked));
      let docs = await Promise.all(batch.map(([d]) => loadDoc(d)));
      if (run !== current) return;
      if (!start) {
        // The first page: an article whose words are in one quote, in order, goes before
        // those that have them in their quotes apart (stable: weights order the rest).
        const key = (doc, k) => (tier(batch[k]) === 0 ? 0 : quoteMatch(doc) ? 1 : 2);
        const order = docs.map((doc, k) => [key(doc, k), k]).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map((x) => x[1]);
        batch = order.map((k) => batch[k]);
        docs = order.map((k) => docs[k]);
        results.splice(0, batch.length, ...batch);
      }
      for (let k = 0; k < docs.length; k++) {
        const [d] = batch[k];
        const doc = docs[k];
        const has = () => phrases.every((c) => texts(doc).some((t) => hasPhrase(t, c)));
        let ok = has();
        if (!ok && doc.r && !doc.rest) {
          // Not in the beginning: the rest of the body, if the page can afford it, else
          // the next page goes on from this document.
          if (restBytes && restBytes + doc.r > REST_BYTES) {
            full = true;
            break;
          }
          restBytes += doc.r;
          await fetchRest(d, doc);
          if (run !== current) return;
          ok = has();
        }
        shown = start + k + 1;
        checked++;
        if (!ok) {
          query.dropped++;
          continue;
        }
        // A snippet needs a sentence with a word of the query: the body's rest if its
        // beginning has none (and no quote is shown instead).
        if (!(doc.q || []).some(([text]) => count(text)) && !snippet(doc)) await fetchRest(d, doc);
        if (run !== current) return;
        items.push(item(doc));
        added++;
      }
    }
    list.append(...items);
    more.hidden = shown >= results.length;
    showCount();
  }

  // The count; with a phrase whose words the index has no positions for, the results
  // not yet checked in their text are only possible ones.
  function showCount() {
    const n = results.length - query.dropped;
    const what = query.text || say("search_the_filters", "the filters");
    const unsure = query.dropped > 0 && shown < results.length;
    status.textContent = !n
      ? say("search_nothing", "Nothing found for “{query}”.", { query: what })
      : unsure
        ? say("search_up_to", "Up to {count} results for “{query}” ({checked} of the {shown} checked so far have the phrase)", { count: n, query: what, checked: shown - query.dropped, shown })
        : counted(n, what);
  }

  async function search(q, params) {
    const run = ++current;
    try {
      await loadMeta();
      const clauses = parse(q);
      query = { text: q.trim(), clauses, marks: new Set(), dropped: 0, prefixes: [] };
      for (const c of clauses) {
        if (!c.phrase && Array.from(c.words[0].fold).length >= 3) query.prefixes.push(c.words[0].fold);
        if (c.phrase) c.words.forEach((w) => query.marks.add(w.fold));
        else query.marks.add(c.words[0].fold);
      }
      const tests = await filterTests(params);
      list.replaceChildren();
      more.hidden = true;
      results = [];
      shown = 0;
      if (!clauses.length && !tests.length) {
        status.textContent = q.trim() ? say("search_too_short", "Type a longer or less common word.") : "";
        return;
      }
      const keep = (d) => tests.every((t) => t(d)) && (!tests.length || d < meta.articles);
      if (!clauses.length) {
        // Filters alone: their articles, newest first.
        for (let d = 0; d < meta.articles; d++) if (keep(d)) results.push([d, 0, 0]);
      } else {
        const found = await Promise.all(clauses.map((c) => clauseDocs(c, query.marks)));
        query.pairs = await pairDocs(clauses);
        if (run !== current) return;
        // Every clause must match.
        for (const [doc, v] of intersect(found, 1)) if (keep(doc)) results.push([doc, v.w, v.f]);
      }
      // Best tier first, then best first; among equals, lower ids: newer articles, then
      // people, topics, outlets.
      results.sort((x, y) => tier(x) - tier(y) || y[1] - x[1] || x[0] - y[0]);
      await showMore(run);
    } catch (e) {
      if (run === current) status.textContent = say("search_failed", "The search index could not be read: {error}", { error: e.message });
    }
  }

  function params() {
    const p = new URLSearchParams();
    p.set("q", input.value);
    for (const name of filterNames) {
      const f = form.elements[name];
      if (f && f.value) p.set(name, f.value);
    }
    return p;
  }

  function run() {
    const p = params();
    const url = new URL(location.href);
    url.search = "";
    for (const [k, v] of p) if (v.trim()) url.searchParams.set(k, v);
    history.replaceState(null, "", url);
    search(input.value, p);
  }

  // Year and language choices from meta.json; a language filter only where the site
  // has several.
  function fillFilters() {
    const year = form.elements.year;
    if (year && year.options.length <= 1) {
      for (const y of [...new Set(meta.years.map(([y]) => y))]) year.append(new Option(String(y), String(y)));
    }
    const lang = form.elements.lang;
    if (lang && lang.options.length <= 1) {
      for (const [tag, n] of meta.languages) lang.append(new Option(tag + " (" + n + ")", tag));
      const wrap = lang.closest("[data-filter]");
      if (wrap) wrap.hidden = meta.languages.length < 2;
    }
    const wanted = new URLSearchParams(location.search);
    for (const name of ["year", "lang"]) if (form.elements[name] && wanted.get(name)) form.elements[name].value = wanted.get(name);
  }

  // Suggestions for a person, topic or outlet field: the entities whose names match
  // what is typed, by their ids.
  async function suggest(field, kind) {
    await loadMeta();
    const [, first, end] = meta.kinds.find(([k]) => k === kind);
    const clauses = parse(field.value).filter((c) => !c.phrase);
    const found = await Promise.all(clauses.map((c) => clauseDocs(c, new Set())));
    const docs = found.length ? [...intersect(found, 1).keys()].filter((d) => d >= first && d < end) : [];
    const options = await Promise.all(docs.slice(0, 8).map(loadDoc));
    const datalist = document.getElementById(field.getAttribute("list"));
    if (!datalist) return;
    datalist.replaceChildren(...options.map((o) => new Option(o.t, o.i)));
  }

  let timer = 0;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  };
  input.addEventListener("input", later);
  for (const [name, kind] of [["person", "p"], ["topic", "t"], ["outlet", "o"]]) {
    const f = form.elements[name];
    if (!f) continue;
    f.addEventListener("input", () => {
      suggest(f, kind).catch(() => {});
    });
    f.addEventListener("change", later);
  }
  for (const name of ["year", "lang"]) if (form.elements[name]) form.elements[name].addEventListener("change", later);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.querySelector("button").addEventListener("click", () => showMore(current));
  const start = new URLSearchParams(location.search);
  for (const name of filterNames) {
    const f = form.elements[name];
    if (f && start.get(name) && f.tagName === "INPUT") f.value = start.get(name);
  }
  if (start.get("q") || filterNames.some((n) => start.get(n))) {
    input.value = start.get("q") || "";
    search(input.value, start);
  }
})();
