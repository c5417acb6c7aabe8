/**
 * The report's only script, inlined and allowed by its sha256 in the
 * Content-Security-Policy (so it must not change at render time: no data
 * interpolated into it; it reads the page). Everything essential is in the
 * server-rendered markup; this adds conveniences: show only failed
 * scenarios, unfold or fold all, open a scenario named in the URL's
 * fragment, and unfold everything for printing.
 *
 * Plain ES2017 in a string: tsconfig has no DOM library (the rest of the
 * project runs on Node), and it must run as written in any browser.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var doc = document;
  var scenarios = Array.prototype.slice.call(doc.querySelectorAll('details.scenario'));
  var toolbar = doc.getElementById('toolbar');
  var count = doc.getElementById('shown-count');

  function show(filter) {
    var shown = 0;
    scenarios.forEach(function (el) {
      var keep = filter === 'all' || el.getAttribute('data-failed') === 'true';
      el.classList.toggle('filtered-out', !keep);
      if (keep) shown++;
    });
    Array.prototype.forEach.call(toolbar.querySelectorAll('button[data-filter]'), function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-filter') === filter));
    });
    if (count) count.textContent = shown + ' of ' + scenarios.length + ' scenarios shown';
  }

  function fold(open) {
    scenarios.forEach(function (el) { if (!el.classList.contains('filtered-out')) el.open = open; });
  }

  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? doc.getElementById(id) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  }

  if (toolbar) {
    toolbar.hidden = false;
    toolbar.addEventListener('click', function (event) {
      var button = event.target.closest('button');
      if (!button) return;
      if (button.hasAttribute('data-filter')) show(button.getAttribute('data-filter'));
      else if (button.hasAttribute('data-fold')) fold(button.getAttribute('data-fold') === 'open');
    });
    show('all');
  }

  // Print everything, whatever was folded, and fold back what was closed afterwards.
  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(doc.querySelectorAll('details:not([open])'), function (el) {
      el.open = true;
      openedForPrint.push(el);
    });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (el) { el.open = false; });
    openedForPrint = [];
  });

  window.addEventListener('hashchange', openFromHash);
  openFromHash();
})();
`;
