// The stylesheet and the two scripts of the status page, as files. No inline style or script anywhere
// (the page's CSP has no 'unsafe-inline'), and no request leaves the page's own origin.

/** The one stylesheet: system fonts, text colours at 4.5:1 or more on their backgrounds. */
export const STATUS_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#f6f8fa}
a{color:#0550ae}
a:focus-visible,[tabindex]:focus-visible{outline:3px solid #0550ae;outline-offset:2px}
.wrap{max-width:52rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:1rem;z-index:2}
.top{background:#fff;border-bottom:1px solid #d0d7de}
.top .site{display:inline-block;padding:1rem 0;font-weight:600;font-size:1.125rem;color:#1f2328;text-decoration:none}
h1{font-size:1.5rem;line-height:1.3;margin:1.5rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
h3{font-size:1rem;margin:0;overflow-wrap:anywhere}
.banner{color:#fff;padding:1rem 1.25rem;border-radius:8px;font-size:1.25rem}
.b-operational{background:#1a7f37}.b-degraded-performance{background:#7d4e00}.b-partial-outage{background:#a8400c}.b-major-outage{background:#b42318}
.banner .glyph{display:inline-block;width:1.5rem;height:1.5rem;line-height:1.5rem;text-align:center;border-radius:50%;background:rgba(255,255,255,.25);margin-right:.25rem}
.updated,.when,.hint,.desc,.scale{color:#57606a;font-size:.875rem}
.card,.components>li,.updates>li,.past>li{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin:0 0 .75rem}
.card p,.updates p{margin:.5rem 0 0}
.components,.past,.updates,.legend{list-style:none;margin:0;padding:0}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem;align-items:baseline}
.meta{margin:.25rem 0 0;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline}
.state{font-weight:600;white-space:nowrap}
.state .glyph{display:inline-block;min-width:1em;text-align:center}
.s-operational{color:#1a7f37}.s-degraded-performance{color:#7d4e00}.s-partial-outage{color:#a8400c}.s-major-outage{color:#b42318}
.phase{font-weight:600}
.subscribe{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem}
.subscribe label{flex-basis:100%;font-weight:600}
.subscribe input{flex:1 1 12rem;min-width:0;font:inherit;padding:.5rem;border:1px solid #57606a;border-radius:6px;background:#fff;color:#1f2328}
.subscribe button{font:inherit;font-weight:600;padding:.5rem 1rem;border:0;border-radius:6px;background:#0550ae;color:#fff;cursor:pointer}
.subscribe :focus-visible{outline:3px solid #0550ae;outline-offset:2px}
.subscribe .hint{flex-basis:100%;margin:0}
.bar{position:relative;display:flex;gap:2px;margin:.75rem 0 0;height:2rem}
.bar>*{flex:1 1 0;min-width:0;border-radius:2px;background:#2da44e}
.d-operational{background:#2da44e}.d-degraded-performance{background:#d4a72c}.d-partial-outage{background:#e16f24}.d-major-outage{background:#cf222e}
.d-partial-outage,.d-major-outage{background-image:repeating-linear-gradient(45deg,transparent 0 3px,rgba(0,0,0,.25) 3px 5px)}
.d-degraded-performance{background-image:repeating-linear-gradient(0deg,transparent 0 4px,rgba(0,0,0,.2) 4px 6px)}
.bar .tip{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.bar>:hover .tip,.bar>:focus .tip{top:2.5rem;left:0;right:0;width:auto;height:auto;clip-path:none;white-space:normal;z-index:1;background:#1f2328;color:#fff;padding:.5rem .75rem;border-radius:6px;font-size:.875rem}
.scale{display:flex;justify-content:space-between;margin:.25rem 0 0}
.scale .narrow{display:none}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.5rem 0;font-size:.875rem}
.legend .key{display:inline-block;width:.75rem;height:1rem;border-radius:2px;margin-right:.35rem;vertical-align:-2px}
.back{margin:1rem 0 0}
.foot{padding-top:1rem;padding-bottom:2rem;color:#57606a;font-size:.875rem}
@media (max-width:40rem){.bar>:not(:nth-last-child(-n+30)){display:none}.scale .wide{display:none}.scale .narrow{display:inline}h1{font-size:1.25rem}}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}.top,.card,.components>li,.updates>li,.past>li{background:#161b22;border-color:#30363d}.top .site{color:#e6edf3}a{color:#79c0ff}.updated,.when,.hint,.desc,.scale,.foot{color:#9da7b3}.s-operational{color:#3fb950}.s-degraded-performance{color:#d29922}.s-partial-outage{color:#f0883e}.s-major-outage{color:#ff7b72}.skip{background:#0d1117}.subscribe input{background:#0d1117;color:#e6edf3;border-color:#8b949e}}
`;

/** Enhances the page when JavaScript runs: each time in the reader's zone, and how long ago. */
export const STATUS_JS = `(function () {
  'use strict';
  var format = new Intl.DateTimeFormat('en-US', {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short'
  });
  var relative = typeof Intl.RelativeTimeFormat === 'function' ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;
  function ago(ms) {
    var seconds = Math.round((ms - Date.now()) / 1000);
    var steps = [[60, 'second'], [60, 'minute'], [24, 'hour'], [30, 'day'], [12, 'month'], [Infinity, 'year']];
    for (var i = 0; i < steps.length; i += 1) {
      if (Math.abs(seconds) < steps[i][0]) return relative.format(seconds, steps[i][1]);
      seconds = Math.round(seconds / steps[i][0]);
    }
    return '';
  }
  var times = document.querySelectorAll('time[datetime]');
  for (var i = 0; i < times.length; i += 1) {
    var time = times[i];
    var ms = Date.parse(time.getAttribute('datetime'));
    if (isNaN(ms)) continue;
    var local = format.format(ms);
    time.title = local;
    time.textContent = relative && time.hasAttribute('data-relative') ? local + ' (' + ago(ms) + ')' : local;
  }
})();
`;

/**
 * The embed: a page of the product loads it with a script tag; it reads the summary beside it and,
 * while something is wrong, shows a small notice linking to the status page (inside an element with
 * `data-incident-flow-status` when there is one, else fixed at the bottom of the window).
 */
export const EMBED_JS = `(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var base = new URL('.', script.src);
  fetch(new URL('api/v2/summary.json', base).href, { credentials: 'omit' })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (summary) {
      if (!summary || !summary.status) return;
      var host = document.querySelector('[data-incident-flow-status]');
      if (!host && summary.status.indicator === 'none') return;
      var link = document.createElement('a');
      link.href = base.href;
      link.textContent = summary.status.description + (summary.incidents && summary.incidents[0] ? ': ' + summary.incidents[0].name : '');
      link.setAttribute('role', 'status');
      var style = link.style;
      style.display = 'inline-block';
      style.padding = '0.5rem 0.75rem';
      style.borderRadius = '6px';
      style.font = '14px/1.4 system-ui, sans-serif';
      style.color = '#fff';
      style.textDecoration = 'none';
      style.background = { none: '#1a7f37', minor: '#7d4e00', major: '#a8400c', critical: '#b42318' }[summary.status.indicator] || '#444';
      if (host) { host.textContent = ''; host.appendChild(link); return; }
      style.position = 'fixed';
      style.left = '1rem';
      style.bottom = '1rem';
      style.zIndex = '2147483647';
      document.body.appendChild(link);
    })
    .catch(function () {});
})();
`;
