/* kwiki search: instant, client-side, offline. Reads the index that the build writes under
 * search/ (see src/render/search.rs): term shards keyed by the first two folded letters of a
 * word (a large one split by the next letters; meta.js lists the keys), ids stored as gaps,
 * and documents in numbered chunks. Files are loaded as <script>s, so search works
 * from file:// too, and under any sub-path (every URL is resolved against this script's). */
(function () {
  'use strict';
  var me = document.currentScript;
  var rootUrl = new URL('./', me ? me.src : location.href);
  var searchUrl = new URL('search/', rootUrl);
  var TYPES = { a: 'artist', f: 'film', l: 'label', s: 'song', p: 'partnership', n: 'article' };

  var cache = { terms: {}, docs: {}, meta: null };
  var waiting = {};
  window.kwikiSearch = {
    terms: function (key, map) { cache.terms[key] = map; },
    docs: function (n, rows) { cache.docs[n] = rows; },
    meta: function (_, m) { cache.meta = m; }
  };

  function load(file) {
    if (!waiting[file]) {
      waiting[file] = new Promise(function (resolve) {
        var s = document.createElement('script');
        s.src = new URL(file, searchUrl).href;
        s.async = true;
        s.onload = function () { resolve(true); };
        s.onerror = function () { resolve(false); }; // no shard: no word starts so
        document.head.appendChild(s);
      });
    }
    return waiting[file];
  }

  function fold(s) {
    return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  }
  function words(s) {
    return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function keyFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    return Array.from(key).map(function (c) { return 'u' + c.codePointAt(0).toString(16); }).join('-');
  }

  /* Ids of the documents holding every query word (a word matches the words it begins),
   * best first; then the documents themselves. */
  function search(query, limit) {
    return load('meta.js').then(function () {
      var meta = cache.meta || { chunk: 1000, stopwords: [] };
      var qs = words(query);
      var useful = qs.filter(function (w) { return meta.stopwords.indexOf(w) < 0; });
      if (useful.length) qs = useful;
      // a one-letter last word is still being typed: wait for the next letter
      if (qs.length > 1 && Array.from(qs[qs.length - 1]).length < 2) qs = qs.slice(0, -1);
      if (!qs.length || (qs.length === 1 && Array.from(qs[0]).length < 2 && !/\p{Lo}/u.test(qs[0]))) {
        return { results: [], short: true };
      }
      var keys = meta.keys || [];
      // the shards that can hold words beginning with w: those whose key begins w (a split
      // shard keeps its short words) and those whose key w begins (its longer words)
      function shardsOf(w) {
        return keys.filter(function (k) { return w.lastIndexOf(k, 0) === 0 || k.lastIndexOf(w, 0) === 0; });
      }
      var needed = {};
      qs.forEach(function (w) { shardsOf(w).forEach(function (k) { needed[k] = true; }); });
      // only shards that exist: no request that could fail
      return Promise.all(Object.keys(needed).map(function (k) { return load('terms-' + keyFile(k) + '.js'); }))
        .then(function () {
          var score = null;
          qs.forEach(function (q) {
            var here = {};
            shardsOf(q).forEach(function (k) {
              var shard = cache.terms[k] || {};
              Object.keys(shard).forEach(function (w) {
                if (w.lastIndexOf(q, 0) !== 0) return;
                var s = w === q ? 2 : 1;
                var id = 0; // the ids are stored as gaps: the first, then the steps between
                shard[w].forEach(function (gap) { id += gap; here[id] = Math.max(here[id] || 0, s); });
              });
            });
            if (score === null) { score = here; return; }
            var both = {};
            Object.keys(score).forEach(function (id) { if (here[id]) both[id] = score[id] + here[id]; });
            score = both;
          });
          var ids = Object.keys(score || {}).map(Number);
          ids.sort(function (a, b) { return (score[b] - score[a]) || (a - b); });
          var total = ids.length;
          ids = ids.slice(0, Math.max(limit, 60)); // rerank only the best: each needs its docs chunk
          var chunks = {};
          ids.forEach(function (id) { chunks[Math.floor(id / meta.chunk)] = true; });
          return Promise.all(Object.keys(chunks).map(function (c) { return load('docs-' + c + '.js'); }))
            .then(function () {
              var fq = qs.join(' ');
              var results = ids.map(function (id) {
                var row = (cache.docs[Math.floor(id / meta.chunk)] || [])[id % meta.chunk];
                if (!row) return null;
                var title = words(row[1]).join(' ');
                var bonus = title === fq ? 10 : title.lastIndexOf(fq, 0) === 0 ? 5 : 0;
                if (!bonus && row[0] !== 'p' && row[0] !== 'n') {
                  row[3].split(', ').forEach(function (alias) {
                    if (words(alias).join(' ') === fq) bonus = 8;
                  });
                }
                return { id: id, score: score[id] + bonus, type: row[0], title: row[1], url: row[2], context: row[3] };
              }).filter(Boolean);
              results.sort(function (a, b) { return (b.score - a.score) || (a.id - b.id); });
              return { results: results.slice(0, limit), total: total };
            });
        });
    });
  }

  function render(container, found) {
    container.textContent = '';
    var ol = document.createElement('ol');
    found.results.forEach(function (r) {
      var li = document.createElement('li');
      li.className = 'result type-' + (TYPES[r.type] || 'page');
      var a = document.createElement('a');
      a.href = new URL(r.url, rootUrl).href;
      a.textContent = r.title;
      if (TYPES[r.type] && 'afls'.indexOf(r.type) >= 0) a.className = 'kind-' + TYPES[r.type];
      li.appendChild(a);
      var badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = TYPES[r.type] || '';
      li.appendChild(document.createTextNode(' '));
      li.appendChild(badge);
      if (r.context) {
        var ctx = document.createElement('span');
        ctx.className = 'context';
        ctx.textContent = ('afls'.indexOf(r.type) >= 0 ? 'also ' : '') + r.context;
        li.appendChild(ctx);
      }
      ol.appendChild(li);
    });
    container.appendChild(ol);
  }

  function attach(form) {
    var mode = form.getAttribute('data-search');
    var input = form.querySelector('input[type=search]');
    var box = form.querySelector('.search-results');
    if (!box && mode === 'dropdown') {
      // the page frame leaves it out (it is on every page); made here, where it is used
      box = document.createElement('div');
      box.className = 'search-results dropdown';
      box.hidden = true;
      form.appendChild(box);
    }
    var status = form.querySelector('.search-status');
    if (!input || !box) return;
    var seq = 0;
    var timer = null;
    function run() {
      var q = input.value.trim();
      var mine = ++seq;
      if (mode === 'page') {
        var u = new URL(location.href);
        if (q) u.searchParams.set('q', q); else u.searchParams.delete('q');
        try { history.replaceState(null, '', u.href); } catch (e) { /* file:// */ }
      }
      if (!q) {
        box.textContent = '';
        if (mode === 'dropdown') box.hidden = true;
        if (status) status.textContent = '';
        return;
      }
      search(q, mode === 'page' ? 50 : 8).then(function (found) {
        if (mine !== seq) return; // a newer query is on its way
        if (found.short) {
          if (status) status.textContent = 'Type at least two letters.';
          return;
        }
        render(box, found);
        if (mode === 'dropdown') {
          box.hidden = !found.results.length;
        } else if (status) {
          status.textContent = found.total === 0 ? 'Nothing found for “' + q + '”.'
            : found.total + (found.total === 1 ? ' result' : ' results') + ' for “' + q + '”' +
              (found.total > found.results.length ? ', the first ' + found.results.length + ' shown.' : '.');
        }
      });
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    if (mode === 'page') {
      form.addEventListener('submit', function (ev) { ev.preventDefault(); run(); });
      var q0 = new URL(location.href).searchParams.get('q');
      if (q0) { input.value = q0; run(); }
    } else {
      input.addEventListener('keydown', function (ev) {
        if (ev.key === 'Escape') { box.hidden = true; }
        if (ev.key === 'ArrowDown') {
          var first = box.querySelector('a');
          if (first) { ev.preventDefault(); first.focus(); }
        }
      });
      box.addEventListener('keydown', function (ev) {
        var links = Array.prototype.slice.call(box.querySelectorAll('a'));
        var i = links.indexOf(document.activeElement);
        if (ev.key === 'ArrowDown' && i < links.length - 1) { ev.preventDefault(); links[i + 1].focus(); }
        if (ev.key === 'ArrowUp') { ev.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
        if (ev.key === 'Escape') { box.hidden = true; input.focus(); }
      });
      document.addEventListener('click', function (ev) {
        if (!form.contains(ev.target)) box.hidden = true;
      });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-search]'), attach);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
