/*
 * Private mode: answers in the browser from the model file (bot/model.py), with the same reply as
 * POST /api/ask. A step-by-step twin of bot/text.py, lang.py, privacy.py, urgency.py, retrieval.py
 * and engine.py (same sums in the same order), held to them by tests/test_private.py.
 * TaxPrivacyEngine.answer(model, question, lang) and .topic(model, id, lang); no network, no eval.
 */
(() => {
  'use strict';

  const cache = new WeakMap();
  const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const uniq = (list) => list.filter((x, i) => list.indexOf(x) === i);
  const add = (c, f, k) => c.set(f, (c.get(f) || 0) + (k || 1));
  const round6 = (x) => { // np.round(x, 6): rint(x * 1e6) / 1e6, ties to even
    const y = x * 1e6, r = Math.round(y);
    return (r - y === 0.5 && r % 2 ? r - 1 : r) / 1e6;
  };

  /** Compile the model once: regular expressions, word sets; each language's index on first use. */
  function prepare(M) {
    if (cache.has(M)) return cache.get(M);
    const T = M.text, V = M.privacy, sizes = M.constants.char_sizes, syn = new Map(Object.entries(M.synonyms));
    const comb = new RegExp(T.combining, 'g'), non = new RegExp(T.non_alnum, 'g'), pre = new Set(), grams = new Map();
    syn.forEach((c, k) => k.split(' ').reduce((a, w) => (pre.add(a += ' ' + w), a), '')); // phrase prefixes
    // Safari before 16.4 has no look-behind: fall back to ASCII word boundaries there.
    const rx = (s, f) => { try { return new RegExp(s, f); } catch (e) { return new RegExp(s.split(V.boundary).join('\\b'), f); } };
    const fold = (s) => s.normalize('NFKD').replace(comb, '').toLowerCase().replace(non, ' ').trim();
    const built = {};

    /** text.word_features + Synonyms.expand, and text.char_features, counted in order of appearance. */
    function features(toks, stop) {
      const content = toks.filter((t) => !stop.has(t)), words = new Map(), chars = new Map(), seen = new Map();
      content.forEach((t) => add(words, t));
      content.forEach((t, i) => i && add(words, content[i - 1] + ' ' + t));
      toks.forEach((t, i) => {
        for (let n = i + 1, key = ' ' + t; pre.has(key); key += ' ' + toks[n++]) {
          if (syn.has(key.slice(1))) add(words, syn.get(key.slice(1)));
          if (n >= toks.length) break;
        }
      });
      // Each distinct word's n-grams times its count: the same counts, first seen in the same order.
      content.forEach((t) => add(seen, t));
      seen.forEach((k, t) => {
        let list = grams.get(t);
        if (!list) {
          grams.set(t, list = []);
          for (let n = sizes[0], p = ' ' + t + ' '; n < sizes[1]; n++) for (let j = 0; j + n <= p.length; j++) list.push(p.substr(j, n));
        }
        list.forEach((g) => add(chars, g, k));
      });
      return [words, chars];
    }

    /** One space as sklearn's TfidfVectorizer(sublinear_tf, smooth_idf, norm l2) builds it, by column.
     *  A feature's idf comes from the number of distinct entries (topics) among its rows (retrieval.py). */
    function space(docs, table, entryOf) {
      const idf = new Map(table), col = new Map();
      let nnz = 0, max = 0, k, j;
      table.forEach((p) => { max = Math.max(max, p[1]); });
      docs.forEach((c) => { nnz += c.size; c.forEach((n, f) => add(col, f)); });
      const V = col.size, start = new Int32Array(V + 1), rows = new Int32Array(nnz), vals = new Float64Array(nnz);
      const w = new Float64Array(V), seen = new Int32Array(docs.length).fill(-1);
      let norms = new Float64Array(docs.length);
      Array.from(col.keys()).sort().forEach((f, j) => { start[j + 1] = col.get(f); col.set(f, j); }); // column order
      for (j = 0; j < V; j++) start[j + 1] += start[j];
      const at = start.slice(0, V);
      docs.forEach((c, r) => c.forEach((n, f) => { k = at[col.get(f)]++; rows[k] = r; vals[k] = n; }));
      for (j = 0; j < V; j++) {
        let topics = 0;
        for (k = start[j]; k < start[j + 1]; k++) if (seen[entryOf[rows[k]]] !== j) { seen[entryOf[rows[k]]] = j; topics++; }
        w[j] = idf.get(topics);
      }
      // sklearn sums a row's squares in column order, then divides by the root
      for (j = 0; j < V; j++) {
        for (k = start[j]; k < start[j + 1]; k++) {
          vals[k] = (Math.log(vals[k]) + 1) * w[j];
          norms[rows[k]] += vals[k] * vals[k];
        }
      }
      norms = norms.map(Math.sqrt);
      for (k = 0; k < nnz; k++) vals[k] /= norms[rows[k]];
      return { col, start, rows, vals, w, max };
    }

    function index(spec, stop) {
      const rows = [], groups = spec.short.map((list) => list.map((r) => rows.push(r ? r.split(' ') : []) - 1)), nShort = rows.length;
      spec.long.forEach((parts, e) => rows.push([].concat(...parts.map((p) => (p === +p ? rows[groups[e][p]] : p.split(' '))))));
      const f = rows.map((r) => features(r, stop)), entryOf = new Int32Array(rows.length);
      groups.forEach((list, e) => { list.forEach((r) => { entryOf[r] = e; }); entryOf[nShort + e] = e; });
      return { ids: spec.ids, groups, nShort, n: rows.length, stop, w: space(f.map((x) => x[0]), spec.idf.words, entryOf), c: space(f.map((x) => x[1]), spec.idf.chars, entryOf) };
    }

    const P = {
      M, fold, features,
      tokens: (s) => (s = fold(s)) ? s.split(' ') : [],
      has: (l) => own(M.indexes, l),
      ix: (l) => built[l] || (built[l] = index(M.indexes[l], new Set(M.stopwords[l]))),
      clean: (s) => s.replace(new RegExp(T.invisible, 'g'), '').split(/\s+/).filter(Boolean).join(' '),
      cues: { en: new Set(M.cues.en), es: new Set(M.cues.es) },
      oos: new Map(Object.entries(M.out_of_scope)),
      known: new Set(M.known_words), particles: new Set(V.particles),
      pats: V.patterns.map((p) => [p[0], rx(p[1], 'giu')]),
      stop: rx(V.name_stop, 'isu'), after: rx(V.name_after, 'giu'), run: rx(V.name_run, 'gu'),
      urgent: {}, dangling: new RegExp(M.constants.dangling_lead, 'gi'), // engine.drop_dangling_leads
    };
    Object.keys(M.urgent).forEach((k) => { P.urgent[k] = M.urgent[k].map((s) => new RegExp(s)); });
    cache.set(M, P);
    return P;
  }

  // ---------------------------------------------------------------- retrieval.Index.search

  function similarities(sp, feats, n) {
    const out = new Float64Array(n), q = [];
    let norm = 0;
    feats.forEach((c, f) => {
      const j = sp.col.get(f), w = (1 + Math.log(c)) * (j === undefined ? sp.max : sp.w[j]);
      norm += w * w;
      if (j !== undefined) q.push(j, w);
    });
    norm = Math.sqrt(norm);
    for (let i = 0; i < q.length; i += 2) {
      const y = q[i + 1] / norm;
      for (let k = sp.start[q[i]]; k < sp.start[q[i] + 1]; k++) out[sp.rows[k]] += sp.vals[k] * y;
    }
    return out;
  }

  function search(P, ix, text) {
    const K = P.M.constants, ww = K.word_weight, qw = K.question_weight, f = P.features(P.tokens(text), ix.stop);
    const w = similarities(ix.w, f[0], ix.n), c = similarities(ix.c, f[1], ix.n), row = (r) => ww * w[r] + (1 - ww) * c[r];
    return ix.groups.map((g, i) => {
      const top = g.map(row).sort((a, b) => a - b).slice(-K.top_k);
      const sum = top.reduce((s, x) => s + x, 0);
      return { id: ix.ids[i], score: round6(qw * (sum / top.length) + (1 - qw) * row(ix.nShort + i)), i };
    }).sort((a, b) => b.score - a.score || a.i - b.i);
  }

  // ---------------------------------------------------------------- privacy.scrub

  const publicKey = (v, d = [...v.replace(/\P{Nd}/gu, '')]) => (v.includes('@') ? v.trim() : d.length > 9 ? '#' + d.slice(-10).join('') : v).toLowerCase();

  function scrub(P, text) {
    let found = false;
    const K = P.known, F = P.fold, drop = () => (found = true) && ' ';
    const unknown = (s) => F(s).split(' ').filter((w) => w && !P.particles.has(w) && !K.has(w)).length;
    P.pats.forEach(([kind, re]) => {
      text = text.replace(re, (s, lead) => {
        if (kind === 'name') {
          const tail = P.stop.exec(' ' + s.slice(lead.length));
          return drop() + lead + ' ' + (tail ? tail[0] : '');
        }
        return K.has(publicKey(s)) || (kind === 'number' && F(s).split(' ').every((w) => w.length > 2 && K.has(w))) ? s : drop();
      });
    });
    text = text.replace(P.after, (s, t, m, name) => {
      const words = name.split(/\s+/);
      let end = 0, n = 0, cap = 0;
      for (const [i, w] of words.entries()) {
        if (P.particles.has(F(w))) continue;
        if (!unknown(w)) break;
        [end, n, cap] = [i + 1, n + 1, cap || w !== w.toLowerCase()];
      }
      return end && (t || n > 1 || cap) ? drop() && s.slice(0, -name.length) + ' ' + words.slice(end).join(' ') : s;
    });
    text = text.replace(P.run, (s) => (unknown(s) < (s === s.toUpperCase() ? 2 : 1) ? s : drop()));
    return { text: text.replace(/\s{2,}/g, ' ').trim(), found };
  }

  // ---------------------------------------------------------------- engine.Bot.ask

  const t = (M, key, lang) => M.messages[key][lang] || M.messages[key].en;
  const threshold = (M, lang) => M.thresholds[lang]; // check fills one for every language
  const served = (M, lang) => M.explainers.filter((e) => e.lang === lang);
  const ids = (M, lang) => served(M, lang).map((e) => e.id);
  const explainer = (M, id, lang) => [lang, ...M.languages].reduce((e, l) => e || served(M, l).find((x) => x.id === id), null);
  const titles = (M, list, lang) => uniq(list).map((id) => explainer(M, id, lang)).filter(Boolean).map((e) => ({ id: e.id, title: e.title }));
  const answerOf = ({ related, refer, ...a }) => a;
  const ratio = (M, hits, lang) => (hits.length ? hits[0].score / threshold(M, lang) : 0);

  /** referrals.Directory.for_kinds: featured first, then each kind's local and a few national ones. */
  function referrals(M, kinds, lang) {
    const list = M.directory[lang], chosen = list.filter((r) => r.featured);
    uniq(kinds).forEach((kind) => {
      let national = 0;
      list.forEach((r) => {
        if (r.kind !== kind || chosen.includes(r)) return;
        if (r.coverage[0] === 'national' && national++ >= M.constants.per_kind) return;
        chosen.push(r);
      });
    });
    return chosen;
  }

  function textLanguage(P, text, asked) {
    const toks = P.tokens(text), count = (l) => toks.filter((w) => P.cues[l].has(w)).length;
    const K = P.M.constants, marked = [...K.spanish_marks].some((c) => text.includes(c)); // lang.detect
    const es = count('es') + (marked ? K.mark_weight : 0), en = count('en');
    const guess = es || en ? (es >= en * K.es_ratio ? 'es' : 'en') : null;
    if (P.has(guess)) return guess;
    if (P.has(asked)) return asked;
    let best = null, key;
    P.M.languages.filter(P.has).forEach((l) => {
      const k = [search(P, P.ix(l), text)[0].score, l === P.M.default_lang];
      if (!best || k[0] > key[0] || (k[0] === key[0] && k[1] && !key[1])) [best, key] = [l, k];
    });
    return best;
  }

  function searchAll(P, text, lang) {
    const M = P.M, mode = M.constants.mix_search, mine = ids(M, lang), toks = P.tokens(text);
    const mixed = mode === 'always' || (mode === 'mixed' && ['en', 'es'].every((l) => toks.some((w) => P.cues[l].has(w))));
    let best = [P.has(lang) ? search(P, P.ix(lang), text) : [], lang];
    M.languages.filter(P.has).forEach((other) => {
      if (other === lang || !(mixed || ids(M, other).some((id) => !mine.includes(id)))) return;
      const theirs = search(P, P.ix(other), text), top = theirs[0];
      if (P.oos.has(top.id) || !(mixed || !mine.includes(top.id))) return;
      if (ratio(M, theirs, other) > ratio(M, best[0], best[1])) best = [theirs, other];
    });
    return best;
  }

  function answer(M, question, lang) {
    const P = prepare(M), K = M.constants, none = { id: '', score: 0 };
    const clean = scrub(P, P.clean(question)), notices = clean.found ? ['personal-data'] : [];
    const text = clean.found ? clean.text.replace(P.dangling, '$1').replace(/\s{2,}/g, ' ').trim() : clean.text;
    const textLang = textLanguage(P, text, lang);
    lang = M.languages.includes(lang) ? lang : textLang;
    const folded = P.fold(text), rule = (kind) => P.urgent[kind].some((re) => re.test(folded));
    const urgent = rule('certain') || (rule('now') && !rule('not_now'));
    const [hits, hitLang] = searchAll(P, text, textLang), real = hits.find((h) => !P.oos.has(h.id)) || none;
    let top = hits[0] || none, subject = P.oos.get(top.id), chosen = null, confidence = real.score;
    if (subject && real.score * K.oos_margin >= top.score) [subject, top] = [undefined, real];
    if (urgent) {
      // The urgent explainer the question matches best, else the first one (engine.py _urgent_explainer).
      chosen = hits.map((h) => explainer(M, h.id, lang)).find((e) => e && e.urgent) ||
        [lang, ...M.languages].reduce((e, l) => e || served(M, l).find((x) => x.urgent), null);
      if (chosen) confidence = (hits.find((h) => h.id === chosen.id) || top).score;
    } else if (!subject && top.score >= threshold(M, hitLang)) {
      chosen = explainer(M, top.id, lang);
    }
    if (chosen && chosen.lang !== lang) notices.push('language-fallback');
    const kinds = chosen ? chosen.refer : subject && subject.length ? subject : K.decline_kinds;
    const reply = {
      lang, answered: !!chosen, confidence: round6(Math.min(Math.max(confidence, 0), 1)), urgent,
      answer: null, suggestions: [], topics: [], message: null, notices,
      notice_messages: notices.map((n) => t(M, 'notice.' + n, lang)),
      referrals: referrals(M, urgent ? ['emergency', ...kinds] : kinds, lang),
    };
    if (chosen) {
      const close = hits.slice(1, 1 + K.runners_up).filter((h) => h.id !== chosen.id && h.score >= threshold(M, lang) * K.runner_up_factor).map((h) => h.id);
      reply.answer = answerOf(chosen);
      reply.suggestions = titles(M, close.concat(chosen.related.filter((r) => r !== chosen.id)), lang).slice(0, K.max_suggestions);
    } else {
      const floor = threshold(M, hitLang) * K.decline_floor;
      reply.suggestions = titles(M, hits.filter((h) => !P.oos.has(h.id) && h.score >= floor).slice(0, K.max_suggestions).map((h) => h.id), lang);
      reply.topics = titles(M, [].concat(...[lang, ...M.languages].map((l) => ids(M, l))), lang);
      reply.message = t(M, 'decline', lang);
    }
    return reply;
  }

  /** GET /api/topics/{id}: the explainer with its related topics and its help, or nothing. */
  function topic(M, id, lang) {
    const e = explainer(M, id, lang);
    return e && Object.assign(answerOf(e), { related: titles(M, e.related, lang), referrals: referrals(M, e.refer, lang) });
  }

  // Read-only and frozen: a script that ran earlier cannot swap or wrap it with a setter (the widget checks).
  Object.defineProperty(self, 'TaxPrivacyEngine', { value: Object.freeze({ answer, topic, prepare }) });
})();
