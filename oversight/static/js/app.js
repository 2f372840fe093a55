// Page behaviour without inline scripts, so the Content-Security-Policy can forbid them.
// hx-confirm="…" asks before going on. htmx asks itself for the requests it makes; for a plain
// form's button or a link (no hx-get/hx-post on it or its form) this asks before it submits or navigates.
var HTMX_VERBS = ['hx-get', 'hx-post', 'hx-put', 'hx-patch', 'hx-delete'];
function htmxDriven(el) {
  var form = el.form || el.closest('form');
  return HTMX_VERBS.some(function (a) { return el.hasAttribute(a) || (form && form.hasAttribute(a)); });
}
document.addEventListener('click', function (e) {
  var el = e.target.closest('[hx-confirm]');
  if (el && !htmxDriven(el) && !window.confirm(el.getAttribute('hx-confirm'))) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }
}, true);

// Source-line references on the notice review page highlight the line in the original text.
document.addEventListener('click', function (e) {
  var ref = e.target.closest('.srcref');
  if (!ref) return;
  e.preventDefault();
  document.querySelectorAll('.source li.hl').forEach(function (li) { li.classList.remove('hl'); });
  var li = document.getElementById('L' + ref.dataset.line);
  if (li) { li.classList.add('hl'); li.scrollIntoView({block: 'center', behavior: 'smooth'}); }
});

// data-reveal-target="selector": an htmx request whose JSON answer has `id_number` fills the target.
document.addEventListener('htmx:afterRequest', function (e) {
  var el = e.detail.elt;
  if (!el || !el.dataset || !el.dataset.revealTarget || !e.detail.successful) return;
  var target = document.querySelector(el.dataset.revealTarget);
  if (target) target.textContent = JSON.parse(e.detail.xhr.responseText).id_number;
});

// data-disable-on-submit on a form: its buttons are disabled once it is sent, so a second press
// cannot send it twice (the button's own name and value still go with the first submission).
document.addEventListener('submit', function (e) {
  var form = e.target;
  if (!form.hasAttribute || !form.hasAttribute('data-disable-on-submit') || e.defaultPrevented) return;
  setTimeout(function () {
    form.querySelectorAll('button, input[type=submit]').forEach(function (b) { b.disabled = true; });
  }, 0);
});
