// Medborg's only script. It enhances pages that already work without it:
// - moves focus to an error summary so screen readers announce it;
// - hides a form question that depends on an answer on the same page until it applies
//   (data-when holds the definition's condition; without this script the question is always shown);
// - warns before an idle session ends and offers to extend it (WCAG 2.2.1 Timing Adjustable).
(function () {
  'use strict';
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) summary.focus();

  // The answers' conditions, as src/forms/conditions.ts evaluates them on the server. Undefined
  // means "cannot tell here" (e.g. dates counted from today in Stockholm): the question stays shown.
  function valueOf(form, name) {
    var els = form.elements.namedItem(name);
    if (!els) return undefined;
    if (els.length !== undefined && !els.tagName) {
      for (var i = 0; i < els.length; i++) if (els[i].checked) return els[i].value;
      return '';
    }
    if (els.type === 'radio' || els.type === 'checkbox') return els.checked ? els.value : '';
    return els.value;
  }
  function holds(c, form) {
    var r, i;
    if (c.all) { for (i = 0; i < c.all.length; i++) { r = holds(c.all[i], form); if (r !== true) return r; } return true; }
    if (c.any) { for (i = 0; i < c.any.length; i++) { r = holds(c.any[i], form); if (r !== false) return r; } return false; }
    if (c.not) { r = holds(c.not, form); return r === undefined ? undefined : !r; }
    var v = valueOf(form, c.field);
    if (v === undefined) return undefined;
    if ('equals' in c) return v === String(c.equals);
    if ('notEquals' in c) return v !== String(c.notEquals);
    if ('in' in c) return c['in'].map(String).indexOf(v) >= 0;
    if ('answered' in c) return (v !== '') === c.answered;
    return undefined;
  }
  var conditional = document.querySelectorAll('form [data-when]');
  function update() {
    for (var i = 0; i < conditional.length; i++) {
      var el = conditional[i];
      el.hidden = holds(JSON.parse(el.getAttribute('data-when')), el.closest('form')) === false;
    }
  }
  if (conditional.length) {
    update();
    document.addEventListener('change', update);
  }

  var body = document.body;
  var idle = Number(body.getAttribute('data-session-idle'));
  var csrf = body.getAttribute('data-csrf') || '';
  if (!idle) return;
  var lang = document.documentElement.lang === 'en' ? 'en' : 'sv';
  var text = {
    sv: { title: 'Du loggas snart ut', body: 'Du har inte gjort något på en stund. Om två minuter loggas du ut av säkerhetsskäl. Det du har sparat finns kvar.', extend: 'Fortsätt vara inloggad', ended: 'Du har loggats ut på grund av inaktivitet. Det du sparat finns kvar.' },
    en: { title: 'You will be signed out soon', body: 'You have been inactive for a while. In two minutes you will be signed out for your security. What you have saved is kept.', extend: 'Stay signed in', ended: 'You have been signed out because you were inactive. What you saved is kept.' }
  }[lang];
  var warnAfter = Math.max(idle - 120, 5) * 1000;
  var warnTimer, endTimer, dialog;

  function schedule() {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    warnTimer = setTimeout(warn, warnAfter);
    endTimer = setTimeout(ended, idle * 1000);
  }
  function warn() {
    if (dialog) return;
    dialog = document.createElement('div');
    dialog.className = 'ds-alert mb-session-warning';
    dialog.setAttribute('data-color', 'warning');
    dialog.setAttribute('role', 'alertdialog');
    dialog.setAttribute('aria-labelledby', 'mb-session-title');
    dialog.setAttribute('aria-describedby', 'mb-session-body');
    var h = document.createElement('h2'); h.className = 'ds-heading'; h.setAttribute('data-size', 'xs'); h.id = 'mb-session-title'; h.textContent = text.title;
    var p = document.createElement('p'); p.id = 'mb-session-body'; p.textContent = text.body;
    var b = document.createElement('button'); b.type = 'button'; b.className = 'ds-button'; b.setAttribute('data-variant', 'primary'); b.textContent = text.extend;
    b.addEventListener('click', extend);
    dialog.appendChild(h); dialog.appendChild(p); dialog.appendChild(b);
    document.body.appendChild(dialog);
    b.focus();
  }
  function extend() {
    fetch('/session/extend', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=' + encodeURIComponent(csrf), credentials: 'same-origin' })
      .then(function (r) { if (r.ok) { if (dialog) { dialog.remove(); dialog = null; } schedule(); } });
  }
  function ended() {
    if (!dialog) warn();
    dialog.querySelector('p').textContent = text.ended;
    var b = dialog.querySelector('button'); if (b) b.remove();
  }
  schedule();
})();
