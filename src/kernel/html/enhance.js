// Medborg's only script. It enhances pages that already work without it:
// - moves focus to an error summary so screen readers announce it;
// - hides a form question that depends on an answer on the same page until it applies
//   (data-when holds the definition's condition; without this script the question is always shown);
// - warns before an idle session ends and offers to extend it (WCAG 2.2.1 Timing Adjustable), and
//   says so, in an alert, when it has ended or could not be extended.
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

  // The warning's markup and texts come from the page (kernel/html/layout.tsx), in its language.
  // data-session-left is what the server says is really left, not the idle limit.
  var body = document.body;
  var template = document.getElementById('mb-session-warning');
  var left = Number(body.getAttribute('data-session-left'));
  var csrf = body.getAttribute('data-csrf') || '';
  if (!left || !template || !template.content) return;
  var texts = template.dataset;
  var endsAt, warnTimer, endTimer, dialog, focusBefore;

  function schedule(seconds) {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    endsAt = Date.now() + seconds * 1000;
    // Two minutes before the end, or at once when less is left.
    warnTimer = setTimeout(warn, Math.max(seconds - 120, 0) * 1000);
    endTimer = setTimeout(function () { signedOut(texts.ended); }, seconds * 1000);
  }
  function timeLeft() {
    var minutes = Math.max(1, Math.round((endsAt - Date.now()) / 60000));
    return minutes === 1 ? texts.minute : texts.minutes.replace('{minutes}', String(minutes));
  }
  function warn() {
    if (dialog) return;
    focusBefore = document.activeElement;
    dialog = template.content.firstElementChild.cloneNode(true);
    var p = dialog.querySelector('#mb-session-body');
    p.textContent = p.textContent.replace('{time}', timeLeft());
    var b = dialog.querySelector('button');
    b.addEventListener('click', extend);
    body.appendChild(dialog);
    b.focus();
  }
  function extend() {
    fetch('/session/extend', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: '_csrf=' + encodeURIComponent(csrf),
      credentials: 'same-origin'
    })
      .then(function (r) {
        // 401 (the session has already ended), a refused token, a server error: all end the same way.
        if (!r.ok) throw new Error('extend: ' + r.status);
        return r.json();
      })
      .then(function (res) {
        if (!(res && res.secondsLeft > 0)) throw new Error('extend: no time left');
        if (dialog) { dialog.remove(); dialog = null; }
        if (focusBefore && focusBefore !== document.body && document.contains(focusBefore)) focusBefore.focus();
        schedule(res.secondsLeft);
      })
      .catch(function () { signedOut(texts.failed); });
  }
  // The session is over (its time ran out, or it could not be extended): a new box with
  // role=alert, which screen readers announce, takes the warning's place and gets focus.
  function signedOut(message) {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    if (dialog) dialog.remove();
    var box = document.createElement('div');
    box.className = 'ds-alert mb-session-warning';
    box.setAttribute('data-color', 'warning');
    box.setAttribute('role', 'alert');
    box.setAttribute('tabindex', '-1');
    var h = document.createElement('h2'); h.className = 'ds-heading'; h.setAttribute('data-size', 'xs'); h.textContent = texts.endedTitle;
    var p = document.createElement('p'); p.textContent = message;
    var a = document.createElement('a'); a.className = 'ds-link'; a.href = texts.signIn; a.textContent = texts.signInText;
    var pa = document.createElement('p'); pa.appendChild(a);
    box.appendChild(h); box.appendChild(p); box.appendChild(pa);
    body.appendChild(box);
    dialog = box;
    box.focus();
  }
  schedule(left);
})();
