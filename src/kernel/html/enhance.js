// Medborg's enhancement script (with the expression evaluator it uses). It enhances pages that already work without it:
// - moves focus to an error summary so screen readers announce it;
// - reveals a form question that depends on an answer on the same page when it applies, directly
//   under that answer (GOV.UK's conditional reveal, ADR 0026): data-when holds the definition's
//   condition in JSON Logic, evaluated by the expression language's own bundle. The server sends
//   it hidden with its inputs disabled; revealed, its inputs are enabled (its "_asked" too, which
//   tells the server it was asked here). Without scripts it stays hidden, and the server asks it
//   on a page after the step;
// - refreshes the decision form's letter preview as its fields change;
// - warns before an idle session ends and offers to extend it or to sign out (WCAG 2.2.1 Timing
//   Adjustable) in a modal dialog, and says so, in an alert, when it has ended or could not be extended.
(function () {
  'use strict';
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) summary.focus();

  // Conditional questions. data-when holds the condition in JSON Logic, evaluated by the same
  // code as on the server (src/expressions/, served as its own script: window.medborgExpressions);
  // the form carries the server's today (data-today), answers from earlier pages the conditions
  // read (data-answers) and the computed values' expressions (data-computed). Without the
  // evaluator every such question stays hidden and disabled, and the server asks it after the step.
  var expr = window.medborgExpressions;
  function json(el, name, fallback) {
    var v = el.getAttribute(name);
    if (!v) return fallback;
    try { return JSON.parse(v); } catch { return fallback; }
  }
  // The page's answers as the server reads them: checkboxes are lists, radios the one checked,
  // "id.N" (ranked choices) a list by position, anything else its value.
  function pageAnswers(form) {
    var out = {}, els = form.elements, i, el, m;
    for (i = 0; i < els.length; i++) {
      el = els[i];
      if (!el.name || el.name === '_csrf' || el.name === 'action' || el.name === '_asked' || el.disabled) continue;
      m = /^([a-z][a-zA-Z0-9]*)\.(\d+)$/.exec(el.name);
      if (m) { (out[m[1]] = out[m[1]] || [])[Number(m[2])] = el.value; continue; }
      if (el.type === 'checkbox') { out[el.name] = out[el.name] || []; if (el.checked) out[el.name].push(el.value); continue; }
      if (el.type === 'radio') { if (!(el.name in out)) out[el.name] = ''; if (el.checked) out[el.name] = el.value; continue; }
      out[el.name] = el.value;
    }
    return out;
  }
  var conditional = document.querySelectorAll('form [data-when]');
  function formsOf() {
    var forms = [], i, form;
    for (i = 0; i < conditional.length; i++) {
      form = conditional[i].closest('form');
      if (forms.indexOf(form) < 0) forms.push(form);
    }
    return forms;
  }
  function holdsWith(form, el, answers) {
    var ctx = { today: form.getAttribute('data-today') };
    var all = json(form, 'data-answers', {}), k;
    for (k in answers) if (Object.prototype.hasOwnProperty.call(answers, k)) all[k] = answers[k];
    var when = json(el, 'data-when', undefined);
    try {
      var data = expr.expressionData(all, expr.computeValues({ computed: json(form, 'data-computed', []) }, all, ctx));
      return when === undefined || expr.holds(when, data, ctx);
    } catch { return false; }
  }
  function reveal(el, shown) {
    if (el.hidden === !shown) return false;
    el.hidden = !shown;
    var inputs = el.querySelector('fieldset.mb-conditional-inputs');
    if (inputs) inputs.disabled = !shown;
    return true;
  }
  function update() {
    var forms = formsOf(), i, j, pass, changed;
    for (i = 0; i < forms.length; i++) {
      var els = forms[i].querySelectorAll('[data-when]');
      // A question may depend on another revealed one: again until nothing changes.
      for (pass = 0, changed = true; changed && pass <= els.length; pass++) {
        changed = false;
        var answers = pageAnswers(forms[i]);
        for (j = 0; j < els.length; j++) if (reveal(els[j], holdsWith(forms[i], els[j], answers))) changed = true;
      }
    }
  }
  // A radio or checkbox that reveals a question controls it (aria-controls, as GOV.UK's radios;
  // not aria-expanded, which ARIA does not allow on a radio or checkbox): each option is tried.
  function linkControls() {
    var forms = formsOf(), i, j, n;
    for (i = 0; i < forms.length; i++) {
      var els = forms[i].querySelectorAll('[data-when][data-reads]');
      for (j = 0; j < els.length; j++) {
        var reads = els[j].getAttribute('data-reads').split(' ');
        for (n = 0; n < reads.length; n++) {
          var options = forms[i].querySelectorAll('input[type="radio"][name="' + reads[n] + '"], input[type="checkbox"][name="' + reads[n] + '"]');
          for (var o = 0; o < options.length; o++) {
            var answers = pageAnswers(forms[i]);
            answers[reads[n]] = options[o].type === 'radio' ? options[o].value : [options[o].value];
            if (!holdsWith(forms[i], els[j], answers)) continue;
            var ids = (options[o].getAttribute('aria-controls') || '').split(' ').filter(Boolean);
            if (ids.indexOf(els[j].id) < 0) ids.push(els[j].id);
            options[o].setAttribute('aria-controls', ids.join(' '));
          }
        }
      }
    }
  }
  if (conditional.length && expr) {
    linkControls();
    update();
    document.addEventListener('change', update);
    document.addEventListener('input', update);
  }

  // The decision form's letter preview (cases/views/decide.tsx): as fields change, the server renders
  // the letter again with the values given (the same sections as the PDF) and it replaces the shown
  // one; a polite status says so once per update, never the whole letter. The "Preview" button,
  // the way without scripts, is then not needed.
  var decision = document.querySelector('form[data-decision-preview]');
  if (decision && window.fetch && window.URLSearchParams && window.FormData) {
    var letterBox = decision.querySelector('[data-decision-letter]');
    var status = decision.querySelector('[data-decision-status]');
    var previewButton = decision.querySelector('button[name="step"][value="preview"]');
    if (previewButton) previewButton.hidden = true;
    var timer, asked = 0;
    var refresh = function () {
      var n = ++asked;
      var data = new URLSearchParams(new FormData(decision));
      data.delete('step');
      fetch(decision.getAttribute('data-decision-preview'), { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: data.toString() })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          if (n !== asked || !letterBox) return;
          letterBox.innerHTML = html;
          if (status) { status.textContent = ''; setTimeout(function () { status.textContent = status.getAttribute('data-text'); }, 50); }
        })
        .catch(function () { if (previewButton) previewButton.hidden = false; });
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 600); };
    decision.addEventListener('input', later);
    decision.addEventListener('change', later);
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
  // The warning is a modal dialog (showModal: the page behind it is inert): Tab and Shift+Tab
  // go round its controls, Escape extends the session as "Stay signed in" does, and "Sign out"
  // posts the page's own sign-out form (the dialog's markup is cached; its address and token are not).
  function warn() {
    if (dialog) return;
    focusBefore = document.activeElement;
    dialog = template.content.firstElementChild.cloneNode(true);
    var p = dialog.querySelector('#mb-session-body');
    p.textContent = p.textContent.replace('{time}', timeLeft());
    var b = dialog.querySelector('[data-action="extend"]');
    b.addEventListener('click', extend);
    var signOut = dialog.querySelector('form[data-action="sign-out"]');
    if (signOut) {
      signOut.action = texts.signOut;
      signOut.querySelector('input[name="_csrf"]').value = csrf;
    }
    dialog.addEventListener('cancel', function (e) { e.preventDefault(); extend(); });
    dialog.addEventListener('keydown', keepFocusInside);
    body.appendChild(dialog);
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute('open', '');
    b.focus();
  }
  function keepFocusInside(e) {
    if (e.key === 'Escape') { e.preventDefault(); extend(); return; }
    if (e.key !== 'Tab') return;
    var controls = dialog.querySelectorAll('button, a[href], input:not([type="hidden"])');
    var first = controls[0], last = controls[controls.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  }
  function closeDialog() {
    if (!dialog) return;
    if (dialog.open && dialog.close) dialog.close();
    dialog.remove();
    dialog = null;
  }
  var extending = false;
  function extend() {
    if (extending) return;
    extending = true;
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
        extending = false;
        closeDialog();
        if (focusBefore && focusBefore !== document.body && document.contains(focusBefore)) focusBefore.focus();
        schedule(res.secondsLeft);
      })
      .catch(function () { extending = false; signedOut(texts.failed); });
  }
  // The session is over (its time ran out, or it could not be extended): a new box with
  // role=alert, which screen readers announce, takes the warning's place and gets focus.
  function signedOut(message) {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    closeDialog();
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
