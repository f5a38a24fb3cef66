"""The page's stylesheet and its one script, written for Wirestream (no third-party code, no CDN).

Kept as Python strings so a plain ``pip install`` of the package carries them. The script renders
the live feed with DOM methods and ``textContent`` only: text from producers is never parsed as
HTML, on the server (every value is escaped) or in the browser.
"""

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 10px 24px; }
header a { color: #fff; margin-right: 18px; text-decoration: none; }
header a.brand { font-weight: 700; }
main { padding: 16px 24px; max-width: 1200px; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin: 4px 0 10px; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
svg.chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eef0f3; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #6b7380; font-size: 13px; }
.speaker, .ent-PERSON { background: #d8e9ff; }
.cue { background: #ffe2b8; font-weight: 600; }
.content { background: #e3f6dd; }
.ent { border-bottom: 2px solid #5476b8; }
.seg.content { background: #e3f6dd; } .seg.cue { background: #ffe2b8; } .seg.speaker { background: #d8e9ff; }
.article-text { white-space: pre-wrap; font-size: 16px; line-height: 1.6; }
ul.feed { list-style: none; padding: 0; margin: 0; }
ul.feed li { padding: 6px 0; border-bottom: 1px solid #eef0f3; }
svg text { font-size: 11px; fill: #444; }
.error { color: #a31515; }
nav.windows a { margin-right: 10px; }
"""

FEED_JS = """
'use strict';
(function () {
  var list = document.getElementById('feed');
  if (!list) { return; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function item(s) {
    var li = el('li', 'stmt');
    var who = el('a', 'speaker', s.speaker);
    who.href = '/ui/speaker?name=' + encodeURIComponent(s.speaker) + '&type=' + encodeURIComponent(s.speaker_type);
    li.appendChild(who);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(el('span', 'cue', s.cue));
    li.appendChild(document.createTextNode(' '));
    li.appendChild(el('q', 'content', s.content));
    li.appendChild(document.createTextNode(' '));
    var where = el('a', 'muted', (s.source || '(no source)') + ': ' + (s.title || s.article_id));
    where.href = '/ui/article/' + encodeURIComponent(s.article_id);
    li.appendChild(where);
    return li;
  }
  function refresh() {
    fetch('/api/feed?limit=' + (list.dataset.limit || '20'), {credentials: 'same-origin'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        while (list.firstChild) { list.removeChild(list.firstChild); }
        body.items.forEach(function (s) { list.appendChild(item(s)); });
        list.dataset.refreshed = String(Date.now());
      })
      .catch(function () { /* the worker may be restarting: try again at the next tick */ });
  }
  setInterval(refresh, 5000);
})();
"""
