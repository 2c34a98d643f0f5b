// Medborg's only script. It enhances pages that already work without it:
// - moves focus to an error summary so screen readers announce it;
// - warns before an idle session ends and offers to extend it (WCAG 2.2.1 Timing Adjustable).
(function () {
  'use strict';
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) summary.focus();

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
