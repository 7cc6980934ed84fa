/*
 * The full pages' own small script (external, so a strict Content-Security-Policy allows it).
 *
 * "Exit this page" leaves for good: the link already has target="_top" (it works inside a frame
 * and without JavaScript, where Back can still return); here it also replaces the history entry,
 * so Back does not come back. Shift pressed three times within a second does the same. Text that
 * only makes sense with JavaScript (the chat button) is shown only when this runs.
 */
(function () {
  'use strict';

  var WINDOW_MS = 1000;
  var shifts = [];

  function leave(url) {
    try {
      window.top.location.replace(url); // a frame may replace its top page (Location.replace is cross-origin)
    } catch (e) {
      location.replace(url);
    }
  }

  function exitLink() {
    return document.querySelector('a.quick-exit');
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a.quick-exit');
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    leave(a.href);
  });

  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Shift') {
      shifts.length = 0;
      return;
    }
    if (e.repeat) return;
    var now = e.timeStamp;
    shifts = shifts.filter(function (t) { return now - t < WINDOW_MS; });
    shifts.push(now);
    var a = exitLink();
    if (shifts.length >= 3 && a) leave(a.href);
  });

  document.querySelectorAll('[data-needs-js]').forEach(function (el) { el.hidden = false; });

  // Back must never bring a question or its answer again (after the quick exit above all). An answer page
  // is the result of a POST, and Back would send the question again: its history entry becomes a plain
  // GET of the empty form (pages are no-store, so Back fetches that). A browser's back-forward cache keeps
  // pages as they were left, the typed question included: so the question and the answer are taken out
  // as the page is left, and an answer page restored from that cache is fetched anew.
  // After a question the page is new: focus starts at the reply (its title, or the urgent banner above it),
  // so a screen reader reads what came back instead of starting again at the top.
  var start = document.getElementById('reply-start');
  if (start) start.focus();

  var form = document.querySelector('form.ask');
  if (form) {
    var answered = document.querySelector('.reply');
    if (form.hasAttribute('data-empty') && history.replaceState) {
      history.replaceState(null, '', form.getAttribute('data-empty'));
    }
    window.addEventListener('pagehide', function () {
      if (answered) answered.remove();
      form.reset();
      form.elements.question.value = '';
    });
    window.addEventListener('pageshow', function (e) {
      if (e.persisted && answered) location.reload();
    });
  }
})();
