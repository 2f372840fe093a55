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

// A form that posts disables its buttons once sent, so a second press cannot send it twice (起草,
// 导入, 下发…); the button pressed still goes with the submission. They come back after a while
// for a form whose answer is a download and leaves the page where it is.
// data-allow-resubmit opts a form out.
document.addEventListener('submit', function (e) {
  var form = e.target;
  if (!form.getAttribute || e.defaultPrevented || form.hasAttribute('data-allow-resubmit')) return;
  if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post' && !form.hasAttribute('data-disable-on-submit')) return;
  var buttons = form.querySelectorAll('button, input[type=submit]');
  setTimeout(function () {
    buttons.forEach(function (b) { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
  }, 0);
  setTimeout(function () {
    buttons.forEach(function (b) { b.disabled = false; b.removeAttribute('aria-busy'); });
  }, 15000);
});

// Phones: a wide table scrolls inside its own box instead of pushing the page sideways, and a
// table marked .table-stack shows each row as a card, every cell labelled by its column heading.
function fitTables(root) {
  (root || document).querySelectorAll('main table.table').forEach(function (table) {
    var parent = table.parentElement;
    if (!parent.classList.contains('table-responsive') && !parent.classList.contains('table-scroll')) {
      var box = document.createElement('div');
      box.className = 'table-scroll';
      parent.insertBefore(box, table);
      box.appendChild(table);
    }
    if (!table.classList.contains('table-stack')) return;
    var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll('tbody tr').forEach(function (tr) {
      var col = 0;
      Array.prototype.forEach.call(tr.children, function (td) {
        if (!td.hasAttribute('data-label')) td.setAttribute('data-label', heads[col] || '');
        col += td.colSpan || 1;
      });
    });
  });
}
document.addEventListener('DOMContentLoaded', function () { fitTables(document); });
document.addEventListener('htmx:afterSwap', function () { fitTables(document); });
