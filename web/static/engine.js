/*
 * Private mode: answers in the browser from the model file (bot/browser_model.py), with the same reply as
 * POST /api/ask. A step-by-step twin of bot/text.py, lang.py, privacy.py, urgency.py, retrieval.py
 * and engine.py, held to them by tests/test_private.py. Each function names the Python it mirrors.
 * Floating-point results depend on the order of operations: sums run in the same order as in
 * Python and scikit-learn, so change the arithmetic only together with the Python side.
 * TaxPrivacyEngine.answer(model, question, lang) and .topic(model, id, lang); no network, no eval.
 */
(() => {
  'use strict';

  const preparedModels = new WeakMap(); // model -> its prepared engine (see prepare)
  const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const unique = (list) => list.filter((item, i) => list.indexOf(item) === i); // dict.fromkeys
  const increment = (counts, key, by) => counts.set(key, (counts.get(key) || 0) + (by || 1));

  // np.round(x, 6): rint(x * 1e6) / 1e6, ties to even
  function round6(x) {
    const scaled = x * 1e6, rounded = Math.round(scaled);
    return (rounded - scaled === 0.5 && rounded % 2 ? rounded - 1 : rounded) / 1e6;
  }

  // ---------------------------------------------------------------- preparing the model

  // privacy.py's patterns, compiled. Safari before 16.4 has no look-behind: fall back to ASCII
  // word boundaries there (bot/jsregex.py BOUNDARY).
  function compileRegExp(source, flags, boundary) {
    try {
      return new RegExp(source, flags);
    } catch (e) {
      return new RegExp(source.split(boundary).join('\\b'), flags);
    }
  }

  // text.fold: lowercase, strip accents and punctuation.
  function makeFold(textRules) {
    const combining = new RegExp(textRules.combining, 'g'), nonAlnum = new RegExp(textRules.non_alnum, 'g');
    return (text) => text.normalize('NFKD').replace(combining, '').toLowerCase().replace(nonAlnum, ' ').trim();
  }

  // text.clean_input: drop invisible characters, collapse whitespace.
  function makeCleanInput(textRules) {
    const invisible = new RegExp(textRules.invisible, 'g');
    return (text) => text.replace(invisible, '').split(/\s+/).filter(Boolean).join(' ');
  }

  // text.word_features + text.Synonyms.expand, and text.char_features: feature counts, each
  // feature first seen in the same order as in Python (the order of the query norm's sum).
  function makeFeatures(model) {
    const synonyms = new Map(Object.entries(model.synonyms)), [minSize, maxSize] = model.constants.char_sizes;
    const prefixes = new Set(), gramsOfWord = new Map();
    // Every leading part of a synonym phrase, as ' w1', ' w1 w2', ...: where to keep scanning.
    synonyms.forEach((canonical, phrase) => {
      let prefix = '';
      for (const word of phrase.split(' ')) prefixes.add((prefix += ' ' + word));
    });

    function charGrams(word) {
      let grams = gramsOfWord.get(word);
      if (!grams) {
        gramsOfWord.set(word, (grams = []));
        const padded = ' ' + word + ' ';
        for (let size = minSize; size < maxSize; size++) {
          for (let j = 0; j + size <= padded.length; j++) grams.push(padded.substr(j, size));
        }
      }
      return grams;
    }

    // Words and their pairs read `wordTokens` (a question's words after spelling correction);
    // synonyms and n-grams read `tokens`, as typed.
    return function features(tokens, stopwords, wordTokens = tokens) {
      const content = wordTokens.filter((token) => !stopwords.has(token));
      const words = new Map(), chars = new Map(), wordCounts = new Map();
      content.forEach((token) => increment(words, token));
      content.forEach((token, i) => i && increment(words, content[i - 1] + ' ' + token));
      // Synonyms.expand: at each token, every phrase starting there, shortest first.
      tokens.forEach((token, i) => {
        for (let next = i + 1, key = ' ' + token; prefixes.has(key); key += ' ' + tokens[next++]) {
          if (synonyms.has(key.slice(1))) increment(words, synonyms.get(key.slice(1)));
          if (next >= tokens.length) break;
        }
      });
      // Each distinct word's n-grams times its count: the same counts, first seen in the same order.
      tokens.forEach((token) => stopwords.has(token) || increment(wordCounts, token));
      wordCounts.forEach((count, word) => charGrams(word).forEach((gram) => increment(chars, gram, count)));
      return { words, chars };
    };
  }

  // retrieval._tfidf: one feature space as scikit-learn's TfidfTransformer(sublinear_tf,
  // smooth_idf, norm l2) builds it, stored by column. A feature's idf comes from the number of
  // distinct entries (topics) among its rows; idfTable holds [document frequency, idf] pairs.
  function featureSpace(rowCounts, idfTable, entryOfRow) {
    const idfOfFrequency = new Map(idfTable), columns = new Map();
    let stored = 0, unknownIdf = 0, slot, column;
    idfTable.forEach((pair) => { unknownIdf = Math.max(unknownIdf, pair[1]); });
    // First the number of rows holding each feature, then (below) each feature's column.
    rowCounts.forEach((counts) => {
      stored += counts.size;
      counts.forEach((count, feature) => increment(columns, feature));
    });
    const columnCount = columns.size, columnStart = new Int32Array(columnCount + 1);
    const rowOf = new Int32Array(stored), values = new Float64Array(stored), idf = new Float64Array(columnCount);
    const lastColumnOfEntry = new Int32Array(rowCounts.length).fill(-1);
    let rowNorms = new Float64Array(rowCounts.length);
    // Columns in sorted feature order, as the vectorizer's vocabulary
    Array.from(columns.keys()).sort().forEach((feature, j) => {
      columnStart[j + 1] = columns.get(feature);
      columns.set(feature, j);
    });
    for (column = 0; column < columnCount; column++) columnStart[column + 1] += columnStart[column];
    const nextSlot = columnStart.slice(0, columnCount);
    rowCounts.forEach((counts, row) => counts.forEach((count, feature) => {
      slot = nextSlot[columns.get(feature)]++;
      rowOf[slot] = row;
      values[slot] = count;
    }));
    for (column = 0; column < columnCount; column++) {
      let topics = 0;
      for (slot = columnStart[column]; slot < columnStart[column + 1]; slot++) {
        const entry = entryOfRow[rowOf[slot]];
        if (lastColumnOfEntry[entry] !== column) {
          lastColumnOfEntry[entry] = column;
          topics++;
        }
      }
      idf[column] = idfOfFrequency.get(topics);
    }
    // sklearn sums a row's squares in column order, then divides by the root
    for (column = 0; column < columnCount; column++) {
      for (slot = columnStart[column]; slot < columnStart[column + 1]; slot++) {
        values[slot] = (Math.log(values[slot]) + 1) * idf[column];
        rowNorms[rowOf[slot]] += values[slot] * values[slot];
      }
    }
    rowNorms = rowNorms.map(Math.sqrt);
    for (slot = 0; slot < stored; slot++) values[slot] /= rowNorms[rowOf[slot]];
    // Stored as 32-bit floats, as bot/fitting.py stores them (each rounded to nearest, the same way)
    return { columns, columnStart, rowOf, values: Float32Array.from(values), idf, unknownIdf };
  }

  // spelling.Speller: a word the index does not know is read as a known word one edit away (a
  // letter dropped, added, changed, or two swapped) with the same first letter and more than its
  // last letter different: the most common (lowest idf), then the first alphabetically. Only
  // words of four letters or more.
  function makeSpeller(space) {
    const isWord = /^[a-z]{4,}$/, byDeleted = new Map();
    const deletes = (word) => Array.from(word, (letter, i) => word.slice(0, i) + word.slice(i + 1));
    space.columns.forEach((column, word) => {
      if (!isWord.test(word)) return;
      new Set([word, ...deletes(word)]).forEach((form) => {
        if (!byDeleted.has(form)) byDeleted.set(form, []);
        byDeleted.get(form).push(word);
      });
    });
    function correct(token) {
      const stem = token.slice(0, -1);
      let best = token, bestIdf = Infinity;
      for (const form of [token, ...deletes(token)]) {
        for (const word of byDeleted.get(form) || []) {
          const idf = space.idf[space.columns.get(word)];
          const ending = word === stem || word.slice(0, -1) === stem || word.slice(0, -1) === token;
          if (word[0] === token[0] && !ending && (idf < bestIdf || (idf === bestIdf && word < best))) {
            [best, bestIdf] = [word, idf];
          }
        }
      }
      return best;
    }
    return (tokens, stopwords) => tokens.map((token) => (
      space.columns.has(token) || stopwords.has(token) || !isWord.test(token) ? token : correct(token)));
  }

  // retrieval.Index.__init__: one row per short text (title, alternate questions), then one long
  // row per entry, rebuilt from the model's tokens (a long row's number part is a short row).
  function buildIndex(spec, stopwords, features) {
    const rows = [];
    const shortRowsOf = spec.short.map((texts) => texts.map((text) => rows.push(text ? text.split(' ') : []) - 1));
    const shortCount = rows.length;
    spec.long.forEach((parts, entry) => {
      const partTokens = parts.map((part) => (part === +part ? rows[shortRowsOf[entry][part]] : part.split(' ')));
      rows.push([].concat(...partTokens));
    });
    const rowFeatures = rows.map((tokens) => features(tokens, stopwords)), entryOfRow = new Int32Array(rows.length);
    shortRowsOf.forEach((shortRows, entry) => {
      shortRows.forEach((row) => { entryOfRow[row] = entry; });
      entryOfRow[shortCount + entry] = entry;
    });
    const words = featureSpace(rowFeatures.map((row) => row.words), spec.idf.words, entryOfRow);
    return {
      ids: spec.ids, shortRowsOf, shortCount, rowCount: rows.length, stopwords, words,
      chars: featureSpace(rowFeatures.map((row) => row.chars), spec.idf.chars, entryOfRow),
      correct: makeSpeller(words),
    };
  }

  /**
   * Compile the model once: regular expressions and word sets now, each language's index on first
   * use (engine.Bot.__init__). widget.js calls has(lang) and ix(lang) to build an index early.
   */
  function prepare(model) {
    if (preparedModels.has(model)) return preparedModels.get(model);
    const privacy = model.privacy, fold = makeFold(model.text), indexes = {};
    const privacyRegExp = (source, flags) => compileRegExp(source, flags, privacy.boundary);
    const newIndex = (lang) => buildIndex(model.indexes[lang], new Set(model.stopwords[lang]), engine.features);
    const urgentRules = {};
    Object.keys(model.urgent).forEach((kind) => {
      urgentRules[kind] = model.urgent[kind].map((source) => new RegExp(source));
    });
    const engine = {
      model, fold,
      features: makeFeatures(model),
      tokens: (text) => ((text = fold(text)) ? text.split(' ') : []), // text.tokens
      has: (lang) => hasOwn(model.indexes, lang),
      ix: (lang) => indexes[lang] || (indexes[lang] = newIndex(lang)), // retrieval.Index, built once
      cleanInput: makeCleanInput(model.text),
      cues: Object.fromEntries(Object.entries(model.cues).map(([lang, words]) => [lang, new Set(words)])),
      outOfScope: new Map(Object.entries(model.out_of_scope)), // index id -> the subject's referral kinds
      // Bot.known_words: the model lists those its index rows do not hold (Bot.indexed_words)
      knownWords: new Set([...model.known_words, ...Object.values(model.indexes).flatMap((ix) =>
        [...ix.short.flat(), ...ix.long.flat()].filter((row) => typeof row == 'string').join(' ').split(' '))]),
      particles: new Set(privacy.particles),
      patterns: privacy.patterns.map(([kind, source]) => [kind, privacyRegExp(source, 'giu')]),
      nameStop: privacyRegExp(privacy.name_stop, 'isu'),
      nameAfter: privacyRegExp(privacy.name_after, 'giu'),
      nameRun: privacyRegExp(privacy.name_run, 'gu'),
      headlineWord: privacyRegExp(privacy.headline_word, 'gu'),
      headlineMin: privacy.headline_min,
      headlineShare: privacy.headline_share,
      urgentRules,
      danglingLead: new RegExp(model.constants.dangling_lead, 'gi'), // engine.DANGLING_LEAD
      smallTalk: Object.entries(model.constants.small_talk).map(([kind, source]) => [kind, new RegExp(source)]),
    };
    preparedModels.set(model, engine);
    return engine;
  }

  // ---------------------------------------------------------------- retrieval

  // retrieval._similarities: every row's cosine similarity with the query's TF-IDF vector. The
  // query is normalised over all its features, unknown ones at the highest idf.
  function similarities(space, featureCounts, rowCount) {
    const scores = new Float64Array(rowCount), known = []; // column, weight, column, weight, ...
    let norm = 0;
    featureCounts.forEach((count, feature) => {
      const column = space.columns.get(feature);
      const weight = (1 + Math.log(count)) * (column === undefined ? space.unknownIdf : space.idf[column]);
      norm += weight * weight;
      if (column !== undefined) known.push(column, weight);
    });
    norm = Math.sqrt(norm);
    for (let i = 0; i < known.length; i += 2) {
      const column = known[i], weight = known[i + 1] / norm;
      for (let slot = space.columnStart[column]; slot < space.columnStart[column + 1]; slot++) {
        scores[space.rowOf[slot]] += space.values[slot] * weight;
      }
    }
    return scores;
  }

  // retrieval.Index.search (with Index._best_rows): every entry, best first.
  function search(engine, index, text) {
    const constants = engine.model.constants;
    const wordWeight = constants.word_weight, questionWeight = constants.question_weight;
    const tokens = engine.tokens(text);
    const features = engine.features(tokens, index.stopwords, index.correct(tokens, index.stopwords));
    const wordScores = similarities(index.words, features.words, index.rowCount);
    const charScores = similarities(index.chars, features.chars, index.rowCount);
    const rowScore = (row) => wordWeight * wordScores[row] + (1 - wordWeight) * charScores[row];
    return index.shortRowsOf.map((shortRows, entry) => {
      const best = shortRows.map(rowScore).sort((a, b) => a - b).slice(-constants.top_k);
      const sum = best.reduce((total, score) => total + score, 0);
      const score = questionWeight * (sum / best.length) + (1 - questionWeight) * rowScore(index.shortCount + entry);
      return { id: index.ids[entry], score: round6(score), entry };
    }).sort((a, b) => b.score - a.score || a.entry - b.entry); // ties: corpus order (a stable sort)
  }

  // ---------------------------------------------------------------- privacy.scrub

  // privacy.public_key: a published phone number by its last 10 digits, an email in lowercase.
  function publicKey(value) {
    const digits = [...value.replace(/\P{Nd}/gu, '')]; // code points, as Python counts them
    const key = value.includes('@') ? value.trim() : digits.length > 9 ? '#' + digits.slice(-10).join('') : value;
    return key.toLowerCase();
  }

  // privacy.is_headline: most words of two letters or more start with a capital (not all capitals)
  function isHeadline(engine, text) {
    const words = text.match(engine.headlineWord) || [];
    const capital = words.filter((w) => w[0] !== w[0].toLowerCase() && w !== w.toUpperCase()).length;
    return capital >= engine.headlineMin && capital >= engine.headlineShare * words.length;
  }

  // privacy.scrub: the text without personal data, and whether any was found.
  function scrub(engine, text) {
    let found = false;
    const known = engine.knownWords, fold = engine.fold;
    const dropped = () => (found = true) && ' ';
    const isUnknown = (word) => word && !engine.particles.has(word) && !known.has(word);
    const unknownWords = (text) => fold(text).split(' ').filter(isUnknown).length;
    // privacy._corpus_numbers: "1040 1099", every group a word of the corpus
    const corpusNumbers = (text) => fold(text).split(' ').every((word) => word.length > 2 && known.has(word));
    engine.patterns.forEach(([kind, pattern]) => {
      text = text.replace(pattern, (match, lead) => {
        if (kind === 'name') { // privacy._drop_name: keep the lead-in words and what followed the name
          const tail = engine.nameStop.exec(' ' + match.slice(lead.length)); // at 0: no name
          return tail && !tail.index ? match : dropped() + lead + ' ' + (tail ? tail[0] : '');
        }
        return known.has(publicKey(match)) || (kind === 'number' && corpusNumbers(match)) ? match : dropped();
      });
    });
    // drop_after: a name after "soy", "I'm" or a title, up to the first word the corpus uses
    text = text.replace(engine.nameAfter, (match, title, selfLead, name) => {
      const words = name.split(/\s+/);
      let end = 0, unknown = 0, capital = 0;
      for (const [i, word] of words.entries()) {
        if (engine.particles.has(fold(word))) continue;
        if (!unknownWords(word)) break;
        [end, unknown, capital] = [i + 1, unknown + 1, capital || word !== word.toLowerCase()];
      }
      const isName = end && (title || unknown > 1 || capital);
      return isName ? dropped() && match.slice(0, -name.length) + ' ' + words.slice(end).join(' ') : match;
    });
    // drop_run: capitalised words in a row; a run in capitals needs two unknown words
    const dropRun = (match) => {
      const needed = match === match.toUpperCase() ? 2 : 1;
      return unknownWords(match) < needed ? match : dropped();
    };
    // drop_stretches: in a headline, only stretches of two or more unknown words (particles inside)
    const isParticle = (word) => engine.particles.has(fold(word));
    const dropStretches = (match) => {
      const kept = [];
      let stretch = [];
      for (const word of [...match.split(/\s+/), '']) { // '' ends the last stretch
        if (word && stretch.length && isParticle(word)) stretch.push(word);
        else if (word && !isParticle(word) && unknownWords(word)) stretch.push(word);
        else {
          if (stretch.filter((w) => !isParticle(w)).length >= 2) kept.push(dropped() && '');
          else kept.push(...stretch);
          stretch = [];
          if (word) kept.push(word);
        }
      }
      return kept.join(' ');
    };
    text = text.replace(engine.nameRun, isHeadline(engine, text) ? dropStretches : dropRun);
    return { text: text.replace(/\s{2,}/g, ' ').trim(), found };
  }

  // ---------------------------------------------------------------- engine.Bot

  const message = (model, key, lang) => model.messages[key][lang] || model.messages[key].en; // messages.t
  const threshold = (model, lang) => model.thresholds[lang]; // check fills one for every language
  const served = (model, lang) => model.explainers.filter((e) => e.lang === lang); // Bot.served
  const servedIds = (model, lang) => served(model, lang).map((e) => e.id);
  const answerOf = ({ related, refer, ...answer }) => answer; // Bot.answer_of

  // Bot.explainer: in `lang`, else in any language; undefined when there is none.
  function explainer(model, id, lang) {
    for (const each of [lang, ...model.languages]) {
      const found = served(model, each).find((e) => e.id === id);
      if (found) return found;
    }
    return undefined;
  }

  // Bot.titles
  function titles(model, ids, lang) {
    const found = unique(ids).map((id) => explainer(model, id, lang)).filter(Boolean);
    return found.map((e) => ({ id: e.id, title: e.title }));
  }

  // Bot._ratio: the best score relative to its index's threshold.
  const ratio = (model, hits, lang) => (hits.length ? hits[0].score / threshold(model, lang) : 0);

  /** referrals.Directory.for_kinds: featured first, then each kind's local and a few national ones. */
  function referrals(model, kinds, lang) {
    const all = model.directory[lang], chosen = all.filter((resource) => resource.featured);
    unique(kinds).forEach((kind) => {
      let national = 0;
      all.forEach((resource) => {
        if (resource.kind !== kind || chosen.includes(resource)) return;
        if (resource.coverage[0] === 'national' && national++ >= model.constants.per_kind) return;
        chosen.push(resource);
      });
    });
    return chosen;
  }

  // lang.detect: 'en', 'es', or null when the words give no signal either way.
  function detectLanguage(engine, text) {
    const tokens = engine.tokens(text), count = (lang) => tokens.filter((word) => engine.cues[lang].has(word)).length;
    const constants = engine.model.constants, marked = [...constants.spanish_marks].some((mark) => text.includes(mark));
    const es = count('es') + (marked ? constants.mark_weight : 0), en = count('en');
    return es || en ? (es >= en * constants.es_ratio ? 'es' : 'en') : null;
  }

  // lang.is_mixed: both English and Spanish cue words.
  const isMixed = (engine, tokens) => Object.keys(engine.cues).every((lang) => tokens.some((word) => engine.cues[lang].has(word)));

  // Bot._text_language: the language the question is written in.
  function textLanguage(engine, text, asked) {
    const guess = detectLanguage(engine, text);
    if (engine.has(guess)) return guess;
    if (engine.has(asked)) return asked;
    // No function words at all: the language whose explainers match best (max of (score, is default)).
    let best = null, bestKey;
    engine.model.languages.filter(engine.has).forEach((lang) => {
      const key = [search(engine, engine.ix(lang), text)[0].score, lang === engine.model.default_lang];
      const better = !best || key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] && !bestKey[1]);
      if (better) [best, bestKey] = [lang, key];
    });
    return best;
  }

  // Bot._search: hits from the index of `lang`, or from another language's index when that one wins.
  function searchAll(engine, text, lang) {
    const model = engine.model, mode = model.constants.mix_search, ownIds = servedIds(model, lang);
    const mixed = mode === 'always' || (mode === 'mixed' && isMixed(engine, engine.tokens(text)));
    let best = [engine.has(lang) ? search(engine, engine.ix(lang), text) : [], lang];
    model.languages.filter(engine.has).forEach((other) => {
      if (other === lang || !(mixed || servedIds(model, other).some((id) => !ownIds.includes(id)))) return;
      const theirs = search(engine, engine.ix(other), text), top = theirs[0];
      if (engine.outOfScope.has(top.id) || !(mixed || !ownIds.includes(top.id))) return;
      if (ratio(model, theirs, other) > ratio(model, best[0], best[1])) best = [theirs, other];
    });
    return best;
  }

  // urgency.UrgencyRules.matches, on the question folded once by `answer` (a model exported before a
  // rule kind existed has no list for it)
  const matches = (engine, kind, folded) => (engine.urgentRules[kind] || []).some((re) => re.test(folded));

  // urgency.UrgencyRules.urgent_folded
  function isUrgent(engine, folded) {
    const rule = (kind) => matches(engine, kind, folded);
    return rule('certain') || (rule('now') && !rule('not_now'));
  }

  // engine.small_talk: "greeting", "thanks" or undefined
  function smallTalk(engine, folded, constants) {
    if (folded.length > constants.small_talk_chars) return undefined;
    return (engine.smallTalk.find(([, re]) => re.test(folded)) || [])[0];
  }


  // Bot._urgent_explainer: the urgent explainer the question matches best, else the first one.
  function urgentExplainer(model, hits, lang) {
    const matched = hits.map((hit) => explainer(model, hit.id, lang)).find((e) => e && e.urgent);
    if (matched) return matched;
    for (const each of [lang, ...model.languages]) {
      const first = served(model, each).find((e) => e.urgent);
      if (first) return first;
    }
    return undefined;
  }

  // Bot._suggestions: close runners-up first, then the explainer's related topics.
  function suggestionsFor(model, chosen, hits, lang) {
    const constants = model.constants, floor = threshold(model, lang) * constants.runner_up_factor;
    const next = hits.slice(1, 1 + constants.runners_up);
    const runnersUp = next.filter((hit) => hit.id !== chosen.id && hit.score >= floor);
    const ids = runnersUp.map((hit) => hit.id).concat(chosen.related.filter((id) => id !== chosen.id));
    return titles(model, ids, lang).slice(0, constants.max_suggestions);
  }

  // Bot.topics: every served topic, in topic order.
  function allTopics(model, lang) {
    return titles(model, [].concat(...[lang, ...model.languages].map((each) => servedIds(model, each))), lang);
  }

  // engine.drop_dangling_leads: "my number is , can ICE find me" -> ", can ICE find me"
  const dropDanglingLeads = (engine, text) => text.replace(engine.danglingLead, '$1').replace(/\s{2,}/g, ' ').trim();

  // Bot.ask (with Bot._decline and Bot._referrals)
  function answer(model, question, lang) {
    const engine = prepare(model), constants = model.constants, noHit = { id: '', score: 0 };
    // Personal data goes first, before any other code reads the text.
    const scrubbed = scrub(engine, engine.cleanInput(question)), notices = scrubbed.found ? ['personal-data'] : [];
    const text = scrubbed.found ? dropDanglingLeads(engine, scrubbed.text) : scrubbed.text;
    const textLang = textLanguage(engine, text, lang);
    lang = model.languages.includes(lang) ? lang : textLang;
    const folded = engine.fold(text);
    let urgent = isUrgent(engine, folded);
    const crisis = matches(engine, 'crisis', folded), abuse = matches(engine, 'abuse', folded);
    const [hits, hitLang] = searchAll(engine, text, textLang), limit = threshold(model, hitLang);
    const bestReal = hits.find((hit) => !engine.outOfScope.has(hit.id)) || noHit;
    let top = hits[0] || noHit, subject = engine.outOfScope.get(top.id), chosen = null, confidence = bestReal.score;
    const safety = subject && subject.some((kind) => constants.safety_kinds.includes(kind));
    if (subject && !safety && (top.score < limit || bestReal.score * constants.oos_margin >= top.score)) [subject, top] = [undefined, bestReal];
    if (urgent) {
      chosen = urgentExplainer(model, hits, lang);
      if (chosen) confidence = (hits.find((hit) => hit.id === chosen.id) || top).score;
    } else if (!subject && !crisis && top.score >= limit) {
      chosen = explainer(model, top.id, lang);
      // urgency.UrgencyRules.scene_folded, read only for an urgent card (a scene told in the present)
      if (chosen && chosen.urgent && matches(engine, 'scene', folded) && !matches(engine, 'not_now', folded)) urgent = true;
    }
    if (chosen && chosen.lang !== lang) notices.push('language-fallback');
    const kinds = chosen ? chosen.refer : subject && subject.length ? subject : constants.decline_kinds;
    const reply = {
      lang, answered: !!chosen, confidence: round6(Math.min(Math.max(confidence, 0), 1)), urgent,
      answer: null, suggestions: [], topics: [], message: null, notices,
      notice_messages: notices.map((notice) => message(model, 'notice.' + notice, lang)),
      referrals: referrals(model, [
        ...(crisis ? ['crisis'] : []), ...(urgent ? ['emergency'] : []), ...(abuse ? ['domestic-violence'] : []), ...kinds,
      ], lang),
    };
    if (chosen) {
      reply.answer = answerOf(chosen);
      reply.suggestions = suggestionsFor(model, chosen, hits, lang);
    } else {
      const floor = limit * constants.decline_floor;
      const close = hits.filter((hit) => !engine.outOfScope.has(hit.id) && hit.score >= floor);
      reply.suggestions = titles(model, close.slice(0, constants.max_suggestions).map((hit) => hit.id), lang);
      reply.topics = allTopics(model, lang);
      const reason = crisis ? 'crisis' : abuse ? 'domestic-violence' : subject ? model.subject_messages[top.id] : smallTalk(engine, folded, constants);
      reply.message = message(model, reason ? 'decline.' + reason : 'decline', lang);
    }
    return reply;
  }

  /** GET /api/topics/{id}: the explainer with its related topics and its help, or nothing. */
  function topic(model, id, lang) {
    const e = explainer(model, id, lang);
    if (!e) return e;
    const related = titles(model, e.related, lang);
    return Object.assign(answerOf(e), { related, referrals: referrals(model, e.refer, lang) });
  }

  // Read-only and frozen: a script that ran earlier cannot swap or wrap it with a setter (the widget checks).
  Object.defineProperty(self, 'TaxPrivacyEngine', { value: Object.freeze({ answer, topic, prepare }) });
})();
