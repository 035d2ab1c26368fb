// gloss search: reads the index `gloss build` writes under search/ (README.md, section
// Search). A query downloads meta.json once, one shard per word and the documents it
// shows; nothing else. Every text goes into the page as text, never as HTML.
(() => {
  "use strict";
  const form = document.querySelector("form[data-search-root]");
  if (!form || !window.fetch) return;
  const root = form.dataset.searchRoot;
  const input = form.querySelector("input[name=q]");
  const status = document.querySelector(".search-status");
  const list = document.querySelector(".search-results");
  const more = document.querySelector(".search-more");
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
  // Field bits of a posting and their weights (src/render/search.rs, `field`): headline,
  // a name the article gives, quote, summary, a person's, topic's or outlet's own name.
  // A word matched by its beginning only counts less.
  const FIELDS = [[1, 8], [2, 5], [4, 4], [8, 2], [16, 10]];
  const PREFIX_WEIGHT = 0.6;
  const MAX_EXPANSION = 8;

  let meta = null;
  const shards = new Map();
  const docFiles = new Map();
  let current = 0;
  let results = [];
  let shown = 0;
  let queryTerms = [];

  async function json(path, fresh) {
    const url = root + "search/" + path + (meta && !fresh ? "?v=" + meta.version : "");
    const r = await fetch(url, fresh ? { cache: "no-cache" } : {});
    if (!r.ok) throw new Error(r.status + " " + r.statusText + " for " + url);
    return r.json();
  }

  async function loadMeta() {
    if (meta) return meta;
    const m = await json("meta.json", true);
    if (m.format !== 2) throw new Error("unknown index format " + m.format);
    m.stop = new Set(m.stop_words);
    m.keySet = new Set(m.keys);
    meta = m;
    return m;
  }

  // The same terms as the Rust side (src/render/search.rs, `terms`).
  function fold(word) {
    return word.normalize("NFKD").toLowerCase().replace(/\p{M}/gu, "");
  }

  function terms(text) {
    const out = [];
    for (const w of fold(text).match(/[\p{Alphabetic}\p{N}]+/gu) || []) {
      const chars = Array.from(w).slice(0, meta.max_term);
      const t = chars.join("");
      if (chars.length >= 2 && !meta.stop.has(t) && !out.includes(t)) out.push(t);
    }
    return out;
  }

  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    const hex = Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0"));
    return "_" + hex.join("");
  }

  function loadShard(key) {
    if (!shards.has(key)) shards.set(key, json("t/" + shardFile(key) + ".json"));
    return shards.get(key);
  }

  function loadDocs(file) {
    if (!docFiles.has(file)) docFiles.set(file, json("d/" + file + ".json"));
    return docFiles.get(file);
  }

  // The shards that may hold `t` or, for three characters or more, words starting
  // with it: the longest key `t` starts with, and the keys that start with `t`.
  function shardKeys(t) {
    const chars = Array.from(t);
    const keys = [];
    for (let n = Math.min(chars.length, meta.keys.length ? 8 : 0); n >= 2; n--) {
      const k = chars.slice(0, n).join("");
      if (meta.keySet.has(k)) {
        keys.push(k);
        break;
      }
    }
    if (chars.length >= 3) {
      const longer = meta.keys.filter((k) => k.length > t.length && k.startsWith(t));
      if (longer.length <= MAX_EXPANSION) keys.push(...longer);
    }
    return keys;
  }

  // Documents holding `t` (or a word it begins), with their best weight.
  async function postings(t) {
    const loaded = await Promise.all(shardKeys(t).map(loadShard));
    const prefix = Array.from(t).length >= 3;
    const mask = (1 << meta.field_bits) - 1;
    const found = new Map();
    for (const shard of loaded) {
      for (const [term, list] of Object.entries(shard)) {
        const exact = term === t;
        if (!exact && !(prefix && term.startsWith(t))) continue;
        let doc = 0;
        for (const p of list) {
          doc += p >>> meta.field_bits;
          const fields = p & mask;
          let w = 0;
          for (const [bit, weight] of FIELDS) if (fields & bit) w = Math.max(w, weight);
          if (!exact) w *= PREFIX_WEIGHT;
          if ((found.get(doc) || 0) < w) found.set(doc, w);
        }
      }
    }
    return found;
  }

  function el(tag, className) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    return e;
  }

  function hits(word) {
    const f = fold(word);
    return queryTerms.some((t) => f === t || (Array.from(t).length >= 3 && f.startsWith(t)));
  }

  // `text` into `parent`, the words the query matches in <mark>.
  function highlight(parent, text) {
    let at = 0;
    for (const m of text.matchAll(/[\p{Alphabetic}\p{N}\p{M}]+/gu)) {
      if (!hits(m[0])) continue;
      parent.append(text.slice(at, m.index));
      const mark = el("mark");
      mark.textContent = m[0];
      parent.append(mark);
      at = m.index + m[0].length;
    }
    parent.append(text.slice(at));
  }

  function item(doc) {
    const li = el("li", "search-result");
    const h = el("h2");
    const a = el("a");
    a.href = root + doc.h;
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
    const quote = (doc.q || []).find(([text]) => (text.match(/[\p{Alphabetic}\p{N}\p{M}]+/gu) || []).some(hits));
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
    } else if (doc.s) {
      const p = el("p", "search-summary");
      highlight(p, doc.s);
      li.append(p);
    }
    return li;
  }

  async function showMore(run) {
    const batch = results.slice(shown, shown + PER_PAGE);
    const files = [...new Set(batch.map(([d]) => Math.floor(d / meta.per_file)))];
    const loaded = new Map(await Promise.all(files.map(async (f) => [f, await loadDocs(f)])));
    if (run !== current) return;
    for (const [d] of batch) {
      const doc = loaded.get(Math.floor(d / meta.per_file))[d % meta.per_file];
      if (doc) list.append(item(doc));
    }
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  async function search(query) {
    const run = ++current;
    try {
      await loadMeta();
      queryTerms = terms(query);
      list.replaceChildren();
      more.hidden = true;
      results = [];
      shown = 0;
      if (!queryTerms.length) {
        status.textContent = query.trim() ? say("search_too_short", "Type a longer or less common word.") : "";
        return;
      }
      const found = await Promise.all(queryTerms.map(postings));
      if (run !== current) return;
      // Every word must match: walk the rarest word's documents.
      found.sort((x, y) => x.size - y.size);
      for (const [doc, w] of found[0]) {
        let score = w;
        for (let i = 1; i < found.length && score > 0; i++) {
          const v = found[i].get(doc);
          score = v === undefined ? 0 : score + v;
        }
        if (score > 0) results.push([doc, score]);
      }
      // Best first; among equals, lower ids: newer articles, then people, topics, outlets.
      results.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      const n = results.length;
      status.textContent = n
        ? counted(n, query.trim())
        : say("search_nothing", "Nothing found for “{query}”.", { query: query.trim() });
      await showMore(run);
    } catch (e) {
      if (run === current) status.textContent = say("search_failed", "The search index could not be read: {error}", { error: e.message });
    }
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const q = input.value;
      const url = new URL(location.href);
      if (q.trim()) url.searchParams.set("q", q);
      else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      search(q);
    }, 200);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  more.querySelector("button").addEventListener("click", () => showMore(current));
  const q = new URLSearchParams(location.search).get("q");
  if (q) {
    input.value = q;
    search(q);
  }
})();
