/*
 * Tax-privacy know-your-rights chat widget (English / Español).
 *
 * Embed: <script src="https://HOST/widget.js" defer data-lang="es"></script>
 * Optional: data-title, data-greeting, data-accent, data-position="left", data-offset="64", data-exit-url.
 * Private mode: data-mode="private" answers in the browser (static/engine.js and one model file, fetched
 * from beside widget.js on first open, or from data-model); the question is never sent anywhere.
 *
 * Isolated embed (the default on any other site's page): the host page gets only the launcher and an
 * <iframe> of embed.html from the widget's own origin, where this same script draws the chat. The
 * question, the answers and the engine then live in another origin, out of reach of the host page's
 * scripts (analytics, session replay, plugins). The two talk only in the words "ready" (with the
 * chat's title, for the launcher), "close", "exit" and "wide". data-embed="inline" draws the chat in
 * the host page itself (a closed shadow root, which keeps the host's CSS out but not its scripts); on
 * the widget's own origin that is the default.
 *
 * Until the person opens it, the widget only inserts its launcher: no request, no listener on
 * the page. The conversation lives in page memory only (no cookie, no storage) and is wiped by
 * the quick exit, which also replaces the history entry so Back does not return here.
 * All interface text comes from /api/widget-config (in private mode, from the model file); all
 * inserted text goes through textContent, except answer.html, which the server sanitizes.
 */
(function () {
  'use strict';

  var TAG = 'taxprivacy-chat';
  if (!window.customElements || customElements.get(TAG)) return;

  // ------------------------------------------------------------------ constants

  var SCRIPT = document.currentScript || document.querySelector('script[src*="widget.js"]');
  // Inside the isolated embed's frame the settings come from the URL fragment (never sent anywhere).
  var FRAME = !!(SCRIPT && SCRIPT.hasAttribute('data-frame'));
  var DATA = FRAME ? fromFragment(location.hash) : (SCRIPT && SCRIPT.dataset) || {};
  var API = new URL(SCRIPT ? SCRIPT.src : location.href, location.href).origin;
  var PRIVATE = DATA.mode === 'private';
  // A static host may serve the private-mode files from a sub-folder: they sit beside widget.js.
  var BASE = PRIVATE ? new URL('.', SCRIPT ? SCRIPT.src : location.href).href : API + '/';
  var CSS_URL = BASE + 'static/widget.css';
  var MODEL_URL = new URL(DATA.model || BASE + 'static/model.json', document.baseURI).href;
  var FRAME_URL = BASE + 'embed.html';
  // Isolated unless the page asked for inline, or the page is the widget's own site (nothing to isolate from).
  var ISOLATED = !FRAME && DATA.embed !== 'inline' && (DATA.embed === 'frame' || API !== location.origin);
  var LANGS = ['en', 'es'];
  var FETCH = { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store', mode: 'cors' };
  var DEFAULT_EXIT = 'https://www.google.com/search?q=weather';
  // Until the first open, which fetches the interface text: in the page's (or the browser's) language.
  var FALLBACK_TITLE = { en: 'Questions', es: 'Preguntas' };
  var FALLBACK_EXIT = 'Exit / Salir';
  // data-offset: how many px higher the launcher sits, to keep a sticky footer's links in view (0 to 240).
  var LIFT = Math.min(Math.max(parseInt(DATA.offset, 10) || 0, 0), 240);
  // Shown when the interface text itself could not be loaded, so in both languages.
  var LOAD_ERROR = ['The chat could not load on this page.', 'El chat no pudo cargar en esta página.'];
  var FULL_PAGE = ['Open the chat in its own page', 'Abrir el chat en su propia página'];
  var MAX_SUGGESTIONS = 3; // close topics on a decline, as bot/engine.py sends at most
  var FRAME_WAIT_MS = 8000;
  var SHIFT_WINDOW_MS = 1000;
  var STATES = ('AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM ' +
    'NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP').split(' ');
  // Styles for the launcher only: it must look right before widget.css is fetched (on first open).
  var LAUNCHER_CSS =
    ':host{all:initial!important;display:contents!important}' +
    '.w{display:contents;--accent:#0b5394;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b}' +
    '.dock{position:fixed;z-index:2147483000;bottom:calc(16px + var(--lift,0px));right:16px;display:flex;flex-wrap:wrap;justify-content:flex-end;' +
    'align-items:flex-end;gap:8px;max-width:calc(100vw - 32px)}' +
    '.left .dock{right:auto;left:16px;justify-content:flex-start}' +
    '.dock button{display:flex;align-items:center;gap:8px;min-height:48px;margin:0;padding:10px 18px;border:2px solid #fff;' +
    'border-radius:24px;background:var(--accent);color:#fff;font:inherit;font-weight:600;text-align:left;cursor:pointer;' +
    'box-shadow:0 2px 10px rgba(0,0,0,.35)}' +
    '.dock .exit{border-radius:8px;background:#a4000f;white-space:nowrap}' +
    '.dock svg{width:24px;height:24px;flex:none;fill:currentColor}' +
    '.dock button:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}' +
    '.oops{flex-basis:100%;max-width:320px;margin:0;padding:10px 14px;background:#fff;color:#1b1b1b;border:2px solid #a4000f;' +
    'border-radius:8px;box-shadow:0 2px 10px rgba(0,0,0,.35)}.oops p{margin:0 0 6px}.oops a{color:#0b5394;font-weight:600}' +
    // The isolated embed: the frame sits where the panel would; the whole screen on phones.
    '.frame{position:fixed;z-index:2147483001;right:16px;bottom:calc(84px + var(--lift,0px));width:380px;' +
    'max-width:calc(100vw - 32px);height:min(600px,calc(100vh - 100px - var(--lift,0px)));border:1px solid #8c959f;border-radius:12px;background:#fff;' +
    'box-shadow:0 8px 32px rgba(0,0,0,.35);color-scheme:light}' +
    '.left .frame{right:auto;left:16px}.frame.wide{width:min(820px,calc(100vw - 32px))}' +
    '@media (max-width:600px),(max-height:500px){.frame,.frame.wide{inset:0;width:100%;height:100%;max-width:none;' +
    'border:0;border-radius:0}.open .dock{display:none}}' +
    // Inside the frame: the panel is the page.
    '.inframe .dock{top:8px;bottom:auto}' +
    '[hidden]{display:none!important}@media print{.w{display:none!important}}';

  // ------------------------------------------------------------------ pure helpers

  /** The isolated frame's settings, from `#lang=es&accent=...` (only the names the embed tag may set). */
  function fromFragment(hash) {
    var params = new URLSearchParams(hash.replace(/^#/, '')), out = {};
    ['lang', 'mode', 'title', 'greeting', 'accent', 'exitUrl', 'model'].forEach(function (key) {
      if (params.has(key)) out[key] = params.get(key);
    });
    return out;
  }

  /** The full-page chat (it works without this script): the server's start page, or the static site's. */
  function fullPageUrl(lang) {
    return PRIVATE ? BASE + (lang === 'es' ? 'es/index.html' : 'index.html') : API + '/?lang=' + lang;
  }

  /** What Tab can reach inside `el`, in order. */
  function focusables(el) {
    return Array.prototype.filter.call(
      el.querySelectorAll('button:not([disabled]), a[href], textarea, select, summary, [tabindex]:not([tabindex="-1"])'),
      function (x) { return x.getClientRects().length > 0; });
  }

  /**
   * Private mode's model: the pre-compressed copy first, inflated here, because many static hosts do
   * not compress (337 KB instead of 93 KB); then the plain file where that fails or is not supported.
   */
  function fetchModel(init) {
    var gz = !DATA.model && typeof DecompressionStream === 'function'
      ? fetch(MODEL_URL + '.gz', init).then(function (res) {
        if (!res.ok) throw new Error();
        return res.arrayBuffer();
      }).then(function (buf) {
        var bytes = new Uint8Array(buf);
        // A host that labels .gz files Content-Encoding: gzip has had the browser inflate it already.
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
        return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).json();
      })
      : Promise.reject(new Error());
    return gz.catch(function () {
      return fetch(MODEL_URL, init).then(function (res) {
        if (!res.ok) throw new Error();
        return res.json();
      });
    });
  }

  function pick(value, allowed, fallback) {
    return allowed.indexOf(value) >= 0 ? value : fallback;
  }

  function httpsUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Build an element. Strings become text nodes; `on*` props become listeners; never innerHTML. */
  function h(tag, props) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var v = props[key];
      if (v == null || v === false) return;
      if (key.slice(0, 2) === 'on') el.addEventListener(key.slice(2), v);
      else if (key === 'class') el.className = v;
      else el.setAttribute(key, v === true ? '' : v);
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, kid) {
    if (Array.isArray(kid)) kid.forEach(function (k) { append(el, k); });
    else if (kid != null && kid !== false) el.append(kid);
  }

  /** Empty `el`, then put `kids` in it (Element.replaceChildren is missing before iOS 14). */
  function fill(el) {
    el.textContent = '';
    for (var i = 1; i < arguments.length; i++) append(el, arguments[i]);
  }

  function button(text, onclick, cls) {
    return h('button', { type: 'button', class: cls, onclick: onclick }, text);
  }

  function tel(phone) {
    return 'tel:' + phone.replace(/[^\d+]/g, '');
  }

  function link(text, href) {
    return h('a', { href: href, target: '_blank', rel: 'noopener noreferrer' }, text);
  }

  function other(lang) {
    return lang === 'es' ? 'en' : 'es';
  }

  /**
   * bot/privacy.py's scrub() for the pre-send warning: the same rules the server runs (from
   * /api/widget-config, built like private mode's model file), applied in the same order, so the
   * widget warns on exactly what the server would remove. Returns text -> {text, found}.
   */
  function scrubber(config) {
    var V = config.privacy, T = config.text;
    if (!V || !T) return null;
    var rx = function (s, f) { // Safari before 16.4 has no look-behind: ASCII word boundaries there
      try { return new RegExp(s, f); } catch (e) { return new RegExp(s.split(V.boundary).join('\\b'), f); }
    };
    var invisible = new RegExp(T.invisible, 'g'), comb = new RegExp(T.combining, 'g'), non = new RegExp(T.non_alnum, 'g');
    var known = new Set(config.known_words), particles = new Set(V.particles);
    var pats = V.patterns.map(function (p) { return [p[0], rx(p[1], 'giu')]; });
    var stop = rx(V.name_stop, 'isu'), after = rx(V.name_after, 'giu'), run = rx(V.name_run, 'gu');
    var headlineWord = rx(V.headline_word, 'gu');
    var fold = function (s) { return s.normalize('NFKD').replace(comb, '').toLowerCase().replace(non, ' ').trim(); };
    var isKnown = function (w) { return fold(w).split(' ').every(function (x) { return !x || known.has(x); }); };
    var publicKey = function (v) {
      if (v.indexOf('@') >= 0) return v.trim().toLowerCase();
      var d = Array.from(v.replace(/\P{Nd}/gu, ''));
      return d.length >= 10 ? '#' + d.slice(-10).join('') : v.toLowerCase();
    };
    return function (text) {
      var found = false;
      text = text.replace(invisible, '').split(/\s+/).filter(Boolean).join(' '); // text.clean_input
      pats.forEach(function (p) {
        text = text.replace(p[1], function (s, lead) {
          if (p[0] === 'name') { // group 1 is the lead-in ("my name is"), kept with what follows the name
            var tail = stop.exec(' ' + s.slice(lead.length));
            if (tail && tail.index === 0) return s; // "my name is on my husband's return": no name
            found = true;
            return ' ' + lead + ' ' + (tail ? tail[0] : '');
          }
          if (known.has(publicKey(s))) return s;
          var groups = fold(s).split(' ').filter(Boolean);
          if (p[0] === 'number' && groups.length && groups.every(function (w) { return w.length >= 3 && known.has(w); })) return s;
          found = true;
          return ' ';
        });
      });
      text = text.replace(after, function (s, title, self, name) {
        var words = name.split(/\s+/), end = 0, unknown = 0, capital = false;
        for (var i = 0; i < words.length; i++) {
          if (particles.has(fold(words[i]))) continue;
          if (isKnown(words[i])) break;
          end = i + 1;
          unknown++;
          capital = capital || words[i] !== words[i].toLowerCase();
        }
        if (!end || !(title || unknown >= 2 || capital)) return s;
        found = true;
        return s.slice(0, s.length - name.length) + ' ' + words.slice(end).join(' ');
      });
      var unknownWords = function (s) {
        return fold(s).split(' ').filter(function (w) { return w && !particles.has(w) && !known.has(w); }).length;
      };
      var isParticle = function (w) { return particles.has(fold(w)); };
      // privacy.is_headline: most words start with a capital; then only stretches of two or more
      // unknown words are names (privacy.scrub's drop_stretches), else any run with one (drop_run)
      var words = text.match(headlineWord) || [];
      var capital = words.filter(function (w) { return w[0] !== w[0].toLowerCase() && w !== w.toUpperCase(); }).length;
      var headline = capital >= V.headline_min && capital >= V.headline_share * words.length;
      text = text.replace(run, function (s) {
        if (!headline) {
          if (unknownWords(s) < (s === s.toUpperCase() ? 2 : 1)) return s;
          found = true;
          return ' ';
        }
        var kept = [], stretch = [];
        s.split(/\s+/).concat(['']).forEach(function (w) {
          if (w && stretch.length && isParticle(w)) stretch.push(w);
          else if (w && !isParticle(w) && unknownWords(w)) stretch.push(w);
          else {
            if (stretch.filter(function (x) { return !isParticle(x); }).length >= 2) { found = true; kept.push(''); }
            else kept.push.apply(kept, stretch);
            stretch = [];
            if (w) kept.push(w);
          }
        });
        return kept.join(' ');
      });
      return { text: text.replace(/\s{2,}/g, ' ').trim(), found: found };
    };
  }

  function covers(coverage, state) {
    return !state || coverage.indexOf('national') >= 0 || coverage.indexOf(state) >= 0;
  }

  /** Emergency resources first when the reply is urgent; otherwise the server's order. */
  function sortReferrals(list, urgent) {
    list = (list || []).slice();
    return urgent ? list.filter(isEmergency).concat(list.filter(function (r) { return !isEmergency(r); })) : list;
  }

  function isEmergency(r) {
    return r.kind === 'emergency';
  }

  function localDate(iso, lang) {
    var d = new Date(iso + 'T12:00:00');
    return isNaN(d) ? iso : d.toLocaleDateString(lang === 'es' ? 'es-US' : 'en-US', { year: 'numeric', month: 'long', day: 'numeric' });
  }

  /** WCAG contrast of an "rgb(r, g, b)" colour against white (null if not an opaque rgb). */
  function contrastWithWhite(rgb) {
    var m = /^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/.exec(rgb);
    if (!m || (m[4] && +m[4] < 1)) return null;
    var l = [m[1], m[2], m[3]].map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 1.05 / (0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2] + 0.05);
  }

  /** The two shapes the API returns (a reply to /ask, a topic) as one thing to render. */
  function fromReply(r) {
    return {
      lang: r.lang, urgent: r.urgent, answer: r.answer, message: r.message, suggestions: r.suggestions,
      topics: r.topics, notices: r.notice_messages, referrals: r.referrals,
    };
  }

  function fromTopic(t, lang, msgs) {
    return {
      lang: lang, urgent: t.urgent, answer: t, message: null, suggestions: t.related, topics: [],
      notices: t.lang !== lang ? [msgs['notice.language-fallback']] : [], referrals: t.referrals,
    };
  }

  /** A decorative SVG icon (the launcher's speech bubble, the close cross). */
  function icon(d) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    var path = document.createElementNS(ns, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '24');
    svg.setAttribute('height', '24');
    svg.setAttribute('fill', 'currentColor');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    path.setAttribute('d', d);
    svg.append(path);
    return svg;
  }
  var BUBBLE = 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z';
  var CROSS = 'M5 5l14 14M19 5L5 19';

  // ------------------------------------------------------------------ the element

  class TaxPrivacyChat extends HTMLElement {
    constructor() {
      super();
      // Closed, so the host page's CSS cannot reach in. It does NOT stop the host page's scripts (they
      // can patch attachShadow or listen in the capture phase): only the isolated embed's frame does.
      this.root = this.attachShadow({ mode: 'closed' });
      this.language = pick(DATA.lang, LANGS, /^es\b/i.test(navigator.language || '') ? 'es' : 'en');
      this.chosen = false; // the person picked a language with the switch button
      this.configs = {}; // lang -> widget-config, in memory
      this.msgs = null;
      this.scrub = null; // the server's personal-data rules, compiled (server mode)
      this.turns = []; // [{question, reply}] of this page view only
      this.current = null; // id of the explainer last shown
      this.state = ''; // the person's state, for filtering referrals; never sent
      this.opened = false;
      this.busy = false;
      this.uid = 0;
      this.shifts = [];
      this.onPageKey = this.onPageKey.bind(this);
      this.onMessage = this.onMessage.bind(this);
      this.fit = this.fit.bind(this);
    }

    connectedCallback() {
      if (this.dock) return;
      var root = this.root;
      this.w = h('div', { class: 'w' + (DATA.position === 'left' ? ' left' : '') + (FRAME ? ' inframe' : '') });
      this.exitMini = button(FALLBACK_EXIT, this.exit.bind(this), 'exit');
      this.exitMini.hidden = true;
      this.launcherText = h('span', null, DATA.title || FALLBACK_TITLE[this.language]);
      this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'tpc-panel' },
        icon(BUBBLE), this.launcherText);
      this.launcher.addEventListener('click', this.toggle.bind(this));
      this.dock = h('div', { class: 'dock' }, this.exitMini, this.launcher);
      this.w.append(this.dock);
      if ('adoptedStyleSheets' in root) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(LAUNCHER_CSS);
        root.adoptedStyleSheets = [sheet];
      } else {
        // Older browsers (Safari < 16.4): the essentials as CSSOM properties, which CSP allows.
        Object.assign(this.dock.style, { position: 'fixed', zIndex: '2147483000', bottom: 16 + LIFT + 'px', display: 'flex', gap: '8px' });
        this.dock.style[DATA.position === 'left' ? 'left' : 'right'] = '16px';
        [this.exitMini, this.launcher].forEach(function (b) {
          Object.assign(b.style, { minHeight: '48px', padding: '10px 18px', border: '2px solid #fff', borderRadius: '24px',
            background: b === this.launcher ? 'var(--accent, #0b5394)' : '#a4000f', color: '#fff', font: '600 16px system-ui, sans-serif' });
        }, this);
      }
      root.append(this.w);
      if (LIFT && !FRAME) this.w.style.setProperty('--lift', LIFT + 'px');
      this.setAccent(DATA.accent);
      // Keystrokes typed here do not bubble out to the host page's own listeners.
      ['keydown', 'keyup', 'keypress', 'input', 'beforeinput'].forEach(function (type) {
        root.addEventListener(type, function (e) { e.stopPropagation(); });
      });
      if (FRAME) {
        // The frame is the panel: no launcher; open at once, then tell the host page it may show us.
        this.launcher.hidden = true;
        window.addEventListener('message', this.onMessage);
        // With "ready", the title in the language the host page chose (never a later switch), for its launcher.
        this.open().then(function () {
          parent.postMessage({ tp: 'ready', title: this.heading && this.heading.textContent }, '*');
        }.bind(this));
      }
    }

    /** Between the host page's launcher and the frame: a few fixed words, never any text of the chat. */
    onMessage(e) {
      var tp = e.data && e.data.tp;
      if (FRAME) {
        if (e.source === parent && tp === 'open' && this.panel) this.input.focus();
        return;
      }
      if (!this.frame || e.source !== this.frame.contentWindow || e.origin !== new URL(FRAME_URL).origin) return;
      if (tp === 'ready') {
        clearTimeout(this.frameTimer);
        this.frameReady = true;
        var title = e.data.title;
        if (!DATA.title && typeof title === 'string' && title && title.length <= 100) {
          this.frame.title = this.launcherText.textContent = title;
        }
        if (this.oops) this.oops.remove(); // it was only slow
        this.oops = null;
        if (!this.frame.hidden) this.focusFrame();
      } else if (tp === 'close') this.close(true);
      else if (tp === 'exit') this.exit();
      else if (tp === 'wide') this.frame.classList.toggle('wide', !!e.data.on);
    }

    focusFrame() {
      this.frame.focus();
      this.frame.contentWindow.postMessage({ tp: 'open' }, new URL(FRAME_URL).origin);
    }

    /** The isolated embed: the chat in an <iframe> of the widget's own origin, made on first open. */
    openFrame() {
      if (!this.frame) {
        var params = new URLSearchParams({ lang: this.language });
        ['mode', 'title', 'greeting', 'accent', 'exitUrl'].forEach(function (key) {
          if (DATA[key]) params.set(key, DATA[key]);
        });
        if (DATA.model) params.set('model', MODEL_URL);
        window.addEventListener('message', this.onMessage);
        this.frame = h('iframe', { id: 'tpc-panel', class: 'frame', src: FRAME_URL + '#' + params,
          title: DATA.title || FALLBACK_TITLE[this.language], referrerpolicy: 'no-referrer' });
        // A host page whose CSP forbids the frame, or a network error: say so instead of a blank box.
        this.frameTimer = setTimeout(this.loadError.bind(this), FRAME_WAIT_MS);
        document.addEventListener('securitypolicyviolation', function (e) {
          if (String(e.blockedURI).indexOf(new URL(FRAME_URL).origin) === 0) this.loadError();
        }.bind(this));
        this.w.append(this.frame);
      }
      this.frame.hidden = false;
      this.exitMini.hidden = true;
      this.w.classList.add('open');
      this.launcher.setAttribute('aria-expanded', 'true');
      // Focus goes into the frame at once, even while it loads: a key typed before the chat is ready
      // must not land on the launcher, where the host page's listeners would read it.
      if (this.frameReady) this.focusFrame();
      else this.frame.focus();
    }

    /** Could not load: a visible message in both languages, the full-page chat, and the exit. */
    loadError() {
      if (this.frame) this.close(false);
      this.exitMini.hidden = false;
      if (this.oops) return;
      var lang = this.language;
      this.oops = h('div', { class: 'oops', role: 'alert' },
        h('p', { lang: 'en' }, LOAD_ERROR[0]), h('p', { lang: 'es' }, LOAD_ERROR[1]),
        h('p', null, link(FULL_PAGE[lang === 'es' ? 1 : 0], fullPageUrl(lang))),
        h('p', { lang: other(lang) }, link(FULL_PAGE[lang === 'es' ? 0 : 1], fullPageUrl(other(lang)))));
      this.dock.prepend(this.oops);
    }

    setAccent(value) {
      if (!value || !window.CSS || !CSS.supports('color', value)) return;
      this.w.style.color = value;
      var ratio = contrastWithWhite(getComputedStyle(this.w).color);
      this.w.style.color = '';
      // White text sits on the accent and the accent sits on white: both need AA (4.5:1).
      if (ratio && ratio >= 4.5) this.w.style.setProperty('--accent', value);
    }

    // -------------------------------------------------------------- open, close, exit

    toggle() {
      if (this.panel && !this.panel.hidden) this.close(false);
      else this.open();
    }

    async open() {
      if (!this.opened) {
        this.opened = true;
        document.addEventListener('keydown', this.onPageKey, true);
        window.addEventListener('pagehide', this.reset.bind(this));
      }
      if (ISOLATED) return this.openFrame();
      if (!this.panel) {
        if (this.loading) return;
        this.loading = true;
        this.launcher.setAttribute('aria-busy', 'true');
        try {
          await Promise.all([this.loadCss(), this.setLang(this.language)]);
          this.build();
        } catch (e) {
          this.loadError(); // could not load: say so, and the exit stays within reach
          return;
        } finally {
          this.loading = false;
          this.launcher.removeAttribute('aria-busy');
        }
      }
      this.panel.hidden = false;
      this.exitMini.hidden = true;
      if (this.oops) this.oops.remove();
      this.oops = null;
      this.w.classList.add('open');
      this.launcher.setAttribute('aria-expanded', 'true');
      if (window.visualViewport) {
        visualViewport.addEventListener('resize', this.fit);
        visualViewport.addEventListener('scroll', this.fit);
      }
      this.fit();
      this.input.focus();
    }

    close(returnFocus) {
      if (FRAME) return parent.postMessage({ tp: 'close' }, '*'); // the host page hides the frame
      if (this.frame) {
        if (this.frame.hidden) return;
        this.frame.hidden = true;
        this.exitMini.hidden = false;
        this.w.classList.remove('open');
        this.launcher.setAttribute('aria-expanded', 'false');
        if (returnFocus) this.launcher.focus();
        return;
      }
      if (!this.panel || this.panel.hidden) return;
      this.panel.hidden = true;
      this.exitMini.hidden = false;
      this.w.classList.remove('open');
      this.launcher.setAttribute('aria-expanded', 'false');
      if (window.visualViewport) {
        visualViewport.removeEventListener('resize', this.fit);
        visualViewport.removeEventListener('scroll', this.fit);
      }
      if (returnFocus) this.launcher.focus();
    }

    /** Forget the conversation: the arrays and the DOM. */
    wipe() {
      this.turns.length = 0;
      this.current = null;
      this.shifts.length = 0;
      if (!this.panel) return;
      fill(this.log);
      fill(this.status);
      this.input.value = '';
      this.panel.classList.remove('wide');
      if (FRAME) parent.postMessage({ tp: 'wide', on: false }, '*');
    }

    /** Leaving the page (or Back/Forward cache): nothing stays behind to be restored. */
    reset() {
      this.wipe();
      this.close(false);
      if (this.panel) this.greet();
    }

    exit() {
      var url = httpsUrl(DATA.exitUrl) || DEFAULT_EXIT;
      this.wipe();
      if (this.panel) this.panel.hidden = true;
      if (this.frame) this.frame.remove(); // the conversation goes with it
      this.dock.hidden = true;
      if (FRAME) {
        // Leave the whole page, not just this frame: replace the top page (allowed after a key or click),
        // and ask the host page's launcher to do the same, in case the browser refused.
        try { top.location.replace(url); } catch (e) { /* cross-origin rules: the message below */ }
        parent.postMessage({ tp: 'exit' }, '*');
        return;
      }
      location.replace(url);
    }

    /** Shift pressed three times within a second, anywhere on the page (after the first open). */
    onPageKey(e) {
      // Escape closes the panel when focus is in it, or nowhere (e.g. after a button went away).
      var focus = document.activeElement, shown = this.panel ? !this.panel.hidden : this.frame && !this.frame.hidden;
      if (e.key === 'Escape' && shown && (focus === this || focus === document.body)) {
        e.preventDefault();
        this.close(true);
      }
      if (e.key !== 'Shift') {
        this.shifts.length = 0;
        return;
      }
      if (e.repeat) return;
      var now = e.timeStamp;
      this.shifts = this.shifts.filter(function (t) { return now - t < SHIFT_WINDOW_MS; });
      this.shifts.push(now);
      if (this.shifts.length >= 3) this.exit();
    }

    /** Keep the panel (and so the input) inside the visible area when an on-screen keyboard opens. */
    fit() {
      var v = window.visualViewport;
      if (!v || !this.panel) return;
      this.panel.style.setProperty('--vvh', Math.round(v.height) + 'px');
      this.panel.style.setProperty('--vvt', Math.round(v.offsetTop) + 'px');
      this.panel.classList.toggle('short', v.height < 480);
    }

    // -------------------------------------------------------------- network

    loadCss() {
      var root = this.root;
      return new Promise(function (resolve) {
        var el = h('link', { rel: 'stylesheet', href: CSS_URL, referrerpolicy: 'no-referrer', onload: resolve, onerror: resolve });
        root.append(el);
      });
    }

    async api(path, body) {
      var init = FETCH;
      if (body) {
        // Accept-Language: the interface language, for an answer given before the body is read (the rate limit).
        var headers = { 'Content-Type': 'application/json', 'Accept-Language': this.language };
        init = Object.assign({}, FETCH, { method: 'POST', headers: headers, body: JSON.stringify(body) });
      }
      var m = this.msgs || {};
      var res, data = null;
      try {
        res = await fetch(API + path, init);
      } catch (e) {
        throw new Error(m['error.offline']);
      }
      if (res.status === 204) return null;
      try { data = await res.json(); } catch (e) { /* not JSON */ }
      if (!res.ok || !data) {
        var code = data && data.error;
        var own = code && m['error.' + code];
        var err = new Error(own && own.indexOf('{') < 0 ? own : (data && data.message) || m['error.offline']);
        // A rate-limited answer carries the emergency and crisis lines: the limit cannot know what was asked.
        err.lines = (data && Array.isArray(data.referrals) ? data.referrals : []).filter(function (r) { return r && r.phone; });
        throw err;
      }
      return data;
    }

    async loadConfig(lang) {
      if (!this.configs[lang]) {
        this.configs[lang] = PRIVATE ? this.localConfig(await this.loadEngine(), lang) : await this.api('/api/widget-config?lang=' + lang);
      }
      return this.configs[lang];
    }

    /** Private mode: engine.js and the model file, loaded once; the only requests this mode makes. */
    loadEngine() {
      var root = this.root, self = this;
      this.engine = this.engine || Promise.all([
        new Promise(function (resolve, reject) {
          if (window.TaxPrivacyEngine) return resolve();
          root.append(h('script', { src: BASE + 'static/engine.js', referrerpolicy: 'no-referrer', onload: resolve, onerror: reject }));
        }),
        // The model is public and the same for everyone, so unlike answers it may be cached.
        fetchModel({ credentials: 'omit', referrerPolicy: 'no-referrer', mode: 'cors' }),
      ]).then(function (r) {
        // engine.js defines a frozen, read-only global; anything else (a setter, a stand-in) is refused.
        var own = Object.getOwnPropertyDescriptor(window, 'TaxPrivacyEngine');
        if (!own || !('value' in own) || own.writable || own.configurable || !Object.isFrozen(own.value)) throw new Error();
        return { E: own.value, model: r[1] };
      }).catch(function () {
        self.engine = null; // try again on the next open
        throw new Error((self.msgs || {})['error.offline']);
      });
      return this.engine;
    }

    /**
     * The interface text from the model. Nothing is sent, so there is no warning before sending:
     * engine.js removes personal details with the same rules (the model's `privacy`) and says so.
     */
    localConfig(local, lang) {
      var messages = {}, all = local.model.messages;
      Object.keys(all).forEach(function (key) { messages[key] = all[key][lang]; });
      // Build this language's index now, while the person types, rather than on the first question.
      setTimeout(function () {
        var engine = local.E.prepare(local.model);
        if (engine.has(lang)) engine.ix(lang);
      });
      return { messages: messages, corpus_version: local.model.version };
    }

    async getTopic(id, lang) {
      if (!PRIVATE) return this.api('/api/topics/' + encodeURIComponent(id) + '?lang=' + lang);
      var local = await this.loadEngine();
      var topic = local.E.topic(local.model, id, lang);
      if (!topic) throw new Error(this.msgs['error.not-found']);
      return topic;
    }

    async setLang(lang) {
      var config = await this.loadConfig(lang);
      this.language = lang;
      this.msgs = config.messages;
      this.scrub = config.privacy ? scrubber(config) : null;
      // The server's own limit (BOT_MAX_QUESTION_CHARS); private mode sends nothing and has none.
      this.maxChars = config.max_question_chars || 0;
      if (this.panel) this.paint();
    }

    // -------------------------------------------------------------- the panel

    build() {
      var self = this;
      this.exitBtn = button('', this.exit.bind(this), 'exit');
      this.switchBtn = button('', this.switchLang.bind(this), 'switch');
      this.closeBtn = button(icon(CROSS), function () { self.close(true); }, 'close');
      this.hint = h('p', { class: 'hint' });
      this.heading = h('h2', { id: 'tpc-title', class: 'title' });
      // The transcript is not live: a screen reader announced each whole answer (sources, help, chips:
      // about 2,700 characters), the person's own words and "looking for the answer". `said` announces
      // only the answer's title and short answer (and the banner, once); the rest is read on demand.
      this.log = h('div', { class: 'log', role: 'region', tabindex: '0' });
      this.said = h('div', { class: 'sr', role: 'status' });
      this.label = h('label', { for: 'tpc-q' });
      // No spellcheck: "enhanced" browser spellcheckers send the text to a third party.
      this.input = h('textarea', { id: 'tpc-q', rows: '2', autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'send' });
      this.input.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          self.submit(false);
        }
      });
      this.sendBtn = h('button', { type: 'submit', class: 'send' });
      this.status = h('div', { class: 'status' });
      this.form = h('form', { class: 'ask', novalidate: true, onsubmit: function (e) { e.preventDefault(); self.submit(false); } },
        this.label, h('div', { class: 'row' }, this.input, this.sendBtn), this.status);
      this.panel = h('div', { id: 'tpc-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'tpc-title', hidden: true },
        h('div', { class: 'head' },
          h('div', { class: 'bar' }, this.exitBtn, this.switchBtn, this.closeBtn),
          this.hint, this.heading),
        this.log, this.form, this.said);
      // Tab from the last control (Send) wraps to the first (Exit) and Shift+Tab the other way, so the
      // keyboard stays in the chat instead of wandering into the host page; Escape closes.
      this.panel.addEventListener('keydown', function (e) {
        if (e.key !== 'Tab') return;
        var all = focusables(self.panel), focus = self.root.activeElement;
        var to = !e.shiftKey && focus === all[all.length - 1] ? all[0] : e.shiftKey && focus === all[0] ? all[all.length - 1] : null;
        if (!to) return;
        e.preventDefault();
        to.focus();
      });
      this.w.append(this.panel);
      this.paint();
      this.greet();
    }

    /** Put the interface text of the current language everywhere it appears. */
    paint() {
      var m = this.msgs;
      if (this.maxChars) this.input.maxLength = this.maxChars;
      else this.input.removeAttribute('maxlength');
      var title = DATA.title || m['label.open'];
      this.panel.setAttribute('lang', this.language);
      this.launcherText.textContent = title;
      this.exitMini.textContent = m['label.exit'];
      this.exitBtn.textContent = m['label.exit'];
      this.hint.textContent = m['label.exit-hint'];
      this.log.setAttribute('aria-label', m['label.log']);
      this.switchBtn.textContent = m['label.switch'];
      this.switchBtn.setAttribute('lang', other(this.language));
      this.closeBtn.setAttribute('aria-label', m['label.close']);
      this.heading.textContent = title;
      this.label.textContent = m['label.question'];
      this.sendBtn.textContent = m['label.send'];
      if (this.greeting) {
        this.greeting.setAttribute('lang', this.language);
        fill(this.greeting, h('p', null, DATA.greeting || m['label.greeting']),
          h('p', { class: 'meta' }, m[PRIVATE ? 'label.privacy-private' : 'label.privacy-line']));
      }
    }

    greet() {
      this.greeting = h('div', { class: 'msg bot greeting' });
      this.log.append(this.greeting);
      this.paint();
    }

    add(el) {
      this.log.append(el);
      this.log.scrollTop = this.log.scrollHeight;
      return el;
    }

    addYou(text) {
      this.add(h('div', { class: 'msg you' }, h('span', { class: 'sr' }, this.msgs['label.you'] + ': '), text));
    }

    setStatus(el) {
      fill(this.status, el);
    }

    // -------------------------------------------------------------- asking

    submit(confirmed) {
      var m = this.msgs;
      var text = this.input.value.trim();
      this.setStatus(null);
      if (this.busy) return;
      if (!text) return this.setStatus(h('p', { class: 'error', role: 'alert' }, m['error.empty']));
      if (!confirmed && this.scrub && this.scrub(text).found) return this.warn();
      this.ask(text);
    }

    /** The question looks like it holds personal data: say so, send nothing until the person decides. */
    warn() {
      var self = this, m = this.msgs;
      this.setStatus(h('div', { class: 'warn', role: 'alert' },
        h('p', null, m['warn.personal-data']),
        h('div', { class: 'acts' },
          button(m['label.edit'], function () { self.setStatus(null); self.input.focus(); }),
          button(m['label.send-anyway'], function () { self.submit(true); self.input.focus(); }, 'primary'))));
    }

    async ask(text) {
      this.input.value = '';
      this.addYou(text);
      // Defence in depth: after "Send anyway" the server gets the question without the details
      // these rules found. It would remove exactly the same ones, so the answer does not change,
      // but they never cross the network. The person still sees the notice.
      var clean = !PRIVATE && this.scrub ? this.scrub(text) : null;
      if (clean && clean.found && !clean.text) {
        return this.add(h('p', { class: 'msg error', role: 'alert' }, this.msgs['notice.personal-data']));
      }
      await this.run(async function () {
        var lang = this.chosen ? this.language : null, local = PRIVATE && await this.loadEngine();
        var sent = clean && clean.found ? clean.text : text;
        var reply = local ? local.E.answer(local.model, text, lang) : await this.api('/api/ask', { question: sent, lang: lang });
        // The server answers in the language the person wrote in; the interface follows.
        if (reply.lang !== this.language && LANGS.indexOf(reply.lang) >= 0) await this.setLang(reply.lang).catch(function () {});
        if (clean && clean.found && reply.notices.indexOf('personal-data') < 0) {
          reply.notices.unshift('personal-data');
          reply.notice_messages.unshift(this.msgs['notice.personal-data']);
        }
        this.turns.push({ question: text, reply: reply });
        return fromReply(reply);
      });
    }

    async showTopic(id, label) {
      if (this.busy) return;
      if (label) this.addYou(label);
      await this.run(async function () {
        var lang = this.language;
        var topic = await this.getTopic(id, lang);
        return fromTopic(topic, lang, this.msgs);
      });
    }

    /** Show "thinking", run `load` (which returns something to render), show it or the error. */
    async run(load) {
      this.busy = true;
      var wait = this.add(h('p', { class: 'msg thinking' }, this.msgs['label.thinking']));
      try {
        var view = await load.call(this);
        wait.remove();
        this.show(view);
      } catch (e) {
        wait.remove();
        var m = this.msgs, lines = e.lines || [];
        // With lines to call (rate-limited), the full page would be refused too: the lines, in one language.
        this.add(lines.length
          ? h('div', { class: 'msg error', role: 'alert' }, h('p', null, e.message), h('p', null, m['error.lifelines']),
            lines.map(function (r) { return h('p', null, h('a', { class: 'call', href: tel(r.phone) }, h('strong', null, r.name), ': ' + r.phone)); }))
          : h('div', { class: 'msg error', role: 'alert' }, h('p', null, e.message || m['error.offline']),
            h('p', { lang: 'en' }, link(FULL_PAGE[0], fullPageUrl('en'))),
            h('p', { lang: 'es' }, link(FULL_PAGE[1], fullPageUrl('es')))));
      } finally {
        this.busy = false;
      }
    }

    async switchLang() {
      this.chosen = true;
      try {
        await this.setLang(other(this.language));
      } catch (e) {
        return this.add(h('p', { class: 'msg error', role: 'alert' }, e.message));
      }
      if (this.current) this.showTopic(this.current);
      else this.log.scrollTop = this.log.scrollHeight;
    }

    // -------------------------------------------------------------- rendering an answer

    show(v) {
      if (v.both) return this.showColumns(v.both);
      var m = this.msgs, a = v.answer, self = this;
      // A decline lists each kind of help once, name and number only, so it fits on one phone screen.
      var help = this.referrals(sortReferrals(v.referrals, v.urgent), !a);
      var box = h('div', { class: 'msg bot' + (v.urgent ? ' urgent' : ''), lang: v.lang },
        h('span', { class: 'sr' }, m['label.bot'] + ': '),
        (v.notices || []).map(function (t) { return h('p', { class: 'notice' }, t); }),
        // The door and detention cards always get the banner and its number, even when asked calmly.
        (v.urgent || (a && a.urgent)) && this.banner(v.referrals));
      if (a) {
        this.current = a.id;
        append(box, [this.explainer(a, m, this.language), help, this.choices(m['label.suggestions'], v.suggestions),
          h('div', { class: 'acts' }, button(m['label.both-languages'], function (e) {
            e.currentTarget.disabled = true; // shown once; focus must not fall out of the widget
            self.input.focus();
            self.showBoth(a);
          })),
          !PRIVATE && this.feedback(a.id)]); // private mode sends nothing, not even feedback
        // The phone numbers come before the sources; in an emergency, right after the short answer.
        if (help) box.insertBefore(help, box.querySelector(v.urgent ? 'details' : '.sources'));
      } else {
        // A decline fits on one phone screen: the message, at most three close topics, help, and every
        // topic behind one button (about 20 buttons otherwise: five screens, repeating the close ones).
        box.classList.add('declined');
        append(box, [h('p', { class: 'decline' }, v.message || m.decline),
          this.choices(m['label.suggestions'], (v.suggestions || []).slice(0, MAX_SUGGESTIONS), 'h3'), help,
          this.allTopics(v.topics)]);
      }
      this.log.append(box);
      this.log.scrollTop = box.offsetTop - 8; // the start of the answer (summary first), not its end
      var banner = box.querySelector('.banner p');
      this.announce([banner && banner.textContent].concat(a ? [a.title + '.', a.summary] : [v.message || m.decline]), v.lang);
    }

    /** Say a few words once through the status region (emptied first, so the same answer twice is said twice). */
    announce(parts, lang) {
      var said = this.said;
      said.textContent = '';
      said.lang = lang || this.language; // an answer may be in the other language (only there)
      setTimeout(function () {
        said.textContent = parts.filter(Boolean).join(' ');
      }, 100);
    }

    /** Urgent: the banner, with the first emergency hotline as one big link to call. */
    banner(referrals) {
      var m = this.msgs, state = this.state;
      var hotline = (referrals || []).filter(function (r) { return isEmergency(r) && r.phone && covers(r.coverage, state); })[0];
      return h('div', { class: 'banner' }, // not an alert: `said` reads it once, before the answer
        h('p', null, h('strong', null, m['label.urgent'] + ': '), m['urgent.banner']),
        hotline && h('a', { class: 'call', href: tel(hotline.phone) }, h('strong', null, hotline.name), h('br'), m['label.phone'] + ': ' + hotline.phone));
    }

    /** Title, short answer, the full text behind "read more", sources, review date, not-advice. */
    explainer(a, m, lang) {
      var body = h('div', { class: 'body' });
      body.innerHTML = a.html; // sanitized by the server (a short allow-list of tags, https links only)
      body.querySelectorAll('a').forEach(function (el) {
        el.target = '_blank';
        el.rel = 'noopener noreferrer';
      });
      var reviewed = m['label.reviewed'].split('{date}');
      return [
        h('h3', { class: 'atitle', lang: a.lang }, a.title),
        h('p', { class: 'kicker' }, m['label.summary']),
        h('p', { class: 'summary', lang: a.lang }, a.summary),
        h('details', null, h('summary', null, m['label.more']), h('div', { lang: a.lang }, body)),
        a.sources && a.sources.length && h('div', { class: 'sources' },
          h('h4', null, m['label.sources']),
          h('ul', null, a.sources.map(function (s) {
            var url = httpsUrl(s.url);
            return h('li', null, url ? link(s.title, url) : s.title);
          }))),
        h('p', { class: 'meta' }, reviewed[0], h('time', { datetime: a.reviewed }, localDate(a.reviewed, lang)), reviewed[1] || ''),
        h('p', { class: 'meta' }, m['label.not-advice']),
      ];
    }

    /** Where to get free help; `compact` (a decline): the first service of each kind, name and contact only. */
    referrals(list, compact) {
      var m = this.msgs, self = this;
      if (compact) {
        list = list.filter(function (r, i) {
          return list.findIndex(function (x) { return x.kind === r.kind; }) === i;
        });
      }
      if (!list.length) return null;
      var local = list.some(function (r) { return r.coverage.indexOf('national') < 0; });
      var items = list.map(function (r) {
        var url = r.url && httpsUrl(r.url);
        var local = r.coverage.indexOf('national') < 0;
        if (compact) {
          var short = h('li', { 'data-cov': r.coverage.join(' ') },
            url ? link(r.name, url) : h('strong', null, r.name), local ? ' (' + r.coverage.join(', ') + ')' : '',
            r.phone && [' · ', h('a', { href: tel(r.phone) }, r.phone)]);
          short.hidden = !covers(r.coverage, self.state);
          return short;
        }
        var li = h('li', { 'data-cov': r.coverage.join(' ') },
          h('strong', null, r.name), local ? ' (' + r.coverage.join(', ') + ')' : '',
          h('br'), r.description,
          h('span', { class: 'contact' },
            r.phone && h('a', { href: tel(r.phone) }, m['label.phone'] + ': ' + r.phone),
            // Two services can share a site (the Advocate and its clinics): the link's name says whose page it is.
            url && link([m['label.website'] + ': ' + new URL(url).hostname.replace(/^www\./, ''),
              h('span', { class: 'sr' }, ' (' + r.name + ')')], url)));
        li.hidden = !covers(r.coverage, self.state);
        return li;
      });
      return h('div', { class: 'help' + (compact ? ' compact' : '') },
        h(compact ? 'h3' : 'h4', null, m['label.help']), // a decline has no answer title (h3) above
        local && this.stateSelect(),
        h('ul', { class: 'refs' }, items));
    }

    /** "All topics": one disclosure button; the list of every topic opens below it on demand. */
    allTopics(list) {
      var self = this, id = 'tpc-all' + ++this.uid;
      if (!list || !list.length) return null;
      var topics = this.choices(this.msgs['label.topics'], list, 'h3');
      topics.id = id;
      topics.hidden = true;
      var toggle = h('button', { type: 'button', class: 'all', 'aria-expanded': 'false', 'aria-controls': id,
        onclick: function () {
          var open = topics.hidden;
          topics.hidden = !open;
          toggle.setAttribute('aria-expanded', String(open));
          if (open) self.log.scrollTop = toggle.offsetTop - 8; // the list starts right under the button
        } }, this.msgs['label.all-topics']);
      return h('div', { class: 'all-topics' }, toggle, topics);
    }

    /** Only shown when some resource is local; the choice filters in this page and is never sent. */
    stateSelect() {
      var self = this, id = 'tpc-st' + ++this.uid;
      var select = h('select', { id: id, class: 'state', onchange: function (e) { self.setState(e.target.value); } },
        h('option', { value: '' }, this.msgs['label.all-states']),
        STATES.map(function (s) { return h('option', { value: s }, s); }));
      select.value = this.state;
      return h('div', { class: 'field' }, h('label', { for: id }, this.msgs['label.state']), select);
    }

    setState(state) {
      this.state = state;
      this.log.querySelectorAll('select.state').forEach(function (s) { s.value = state; });
      this.log.querySelectorAll('li[data-cov]').forEach(function (li) {
        li.hidden = !covers(li.getAttribute('data-cov').split(' '), state);
      });
    }

    /** Topics as buttons under a heading (`tag`: h4 under an answer's title, h3 in a decline). */
    choices(heading, list, tag) {
      var self = this;
      if (!list || !list.length) return null;
      return h('div', { class: 'choices' }, h(tag || 'h4', null, heading),
        h('ul', { class: 'chips' }, list.map(function (s) {
          return h('li', null, button(s.title, function () { self.showTopic(s.id, s.title); }, 'chip'));
        })));
    }

    feedback(id) {
      var self = this, m = this.msgs;
      var wrap = h('div', { class: 'feedback' });
      function send(helpful) {
        self.api('/api/feedback', { topic: id, helpful: helpful }).catch(function () { /* optional */ });
        var thanks = h('p', { tabindex: '-1' }, m['label.thanks']);
        fill(wrap, thanks);
        thanks.focus();
      }
      wrap.append(h('span', null, m['label.helpful']),
        button(m['label.yes'], function () { send(true); }), button(m['label.no'], function () { send(false); }));
      return wrap;
    }

    /** The current answer in English and Spanish side by side (stacked on phones). */
    async showBoth(a) {
      var two = other(a.lang);
      await this.run(async function () {
        var r = await Promise.all([this.loadConfig(a.lang), this.loadConfig(two),
          this.getTopic(a.id, two)]);
        this.panel.classList.add('wide');
        if (FRAME) parent.postMessage({ tp: 'wide', on: true }, '*');
        return { both: [[a, r[0].messages, a.lang], [r[2], r[1].messages, two]] };
      });
    }

    showColumns(pairs) {
      var self = this;
      var box = h('div', { class: 'msg bot both' }, pairs.map(function (p) {
        return h('div', { class: 'col', lang: p[2] }, self.explainer(p[0], p[1], p[2]));
      }));
      this.log.append(box);
      this.log.scrollTop = box.offsetTop - 8;
    }
  }

  customElements.define(TAG, TaxPrivacyChat);

  function insert() {
    document.body.append(document.createElement(TAG));
  }
  if (document.body) insert();
  else document.addEventListener('DOMContentLoaded', insert);
})();
