import copy
import dataclasses
import datetime
import decimal
import enum
import functools
import hashlib
import html
import json
import logging
from pathlib import Path

from django import template
from django.core.cache import cache
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import stringfilter
from django.urls import get_script_prefix
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()
log = logging.getLogger(__name__)

SELECTS = {"select", "selectmultiple", "nullbooleanselect"}


@register.simple_tag(takes_context=True)
def sidebar(context) -> str:
    """The sidebar's menu for the signed-in user, the current page's link active."""
    from oversight.core.navigation import shows_menu, sidebar_links

    request = context["request"]
    return sidebar_links(request.user, request.path) if shows_menu(request.user) else ""


@register.filter
def bs(field, extra: str = ""):
    """Render a form field's widget with Bootstrap classes and its error state."""
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return _choices(field)
    css = "form-select" if field.widget_type in SELECTS else "form-control"
    if extra:
        css += f" {extra}"
    if field.errors:
        css += " is-invalid"
    if field.widget_type in {"select", "selectmultiple"}:
        return _select(field, css)
    return field.as_widget(attrs={"class": css})


def _attrs(attrs: dict) -> str:
    return "".join(
        format_html(' {}="{}"', key, value) if value is not True else format_html(" {}", key)
        for key, value in attrs.items()
        if value is not None and value is not False
    )


def _select(field, css: str):
    """A select (single or multiple) rendered here rather than through a template per option: a
    filter of a few hundred units cost tens of milliseconds a page the other way, and a case's
    select of officers more. Same markup as Django's."""
    widget = field.field.widget
    if isinstance(widget.choices, ModelChoiceIterator):
        widget = _listed(widget)
    attrs = field.build_widget_attrs({"class": css}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    # The select's own attributes as Django gives them; its options written from the choices
    # directly (Django builds a dict and merges attributes for each of a few hundred options).
    select_attrs = widget.build_attrs(widget.attrs, attrs)
    multiple = widget.allow_multiple_selected
    if multiple:
        select_attrs["multiple"] = True
    chosen = widget.format_value(field.value())
    parts = [format_html('<select name="{}"{}>', field.html_name, mark_safe(_attrs(select_attrs)))]
    extra = _attrs(select_attrs) if widget.option_inherits_attrs else ""
    has_selected = False
    for value, label in widget.choices:
        group = value if isinstance(label, list | tuple) else None
        if group is not None:
            parts.append(format_html('<optgroup label="{}">', group))
        for option_value, option_label in label if group is not None else [(value, label)]:
            option_value = "" if option_value is None else option_value
            selected = (multiple or not has_selected) and str(option_value) in chosen
            has_selected |= selected
            parts.append(
                f'<option value="{_escaped(option_value)}"{extra}'
                f"{' selected' if selected else ''}>{_escaped(option_label)}</option>"
            )
        if group is not None:
            parts.append("</optgroup>")
    parts.append(mark_safe("</select>"))
    return mark_safe("".join(parts))


def _escaped(value) -> str:
    """`conditional_escape` without its marking and lazy-text checks: escaped text, or the
    value's own HTML where it is already safe."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _listed(widget):
    """The widget with its model choices read as one list. Django's iterator reads them through
    `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor: three round trips (and a
    chunked fetch) for a list of a hundred units."""
    choices = widget.choices
    field = choices.field
    empty = field.empty_label
    listed = copy.copy(widget)
    listed.choices = [("", empty)] if empty is not None else []
    label = getattr(choices.queryset.model, "label_field", None)
    if (
        label is not None
        and field.to_field_name is None
        and type(field).label_from_instance is ModelChoiceField.label_from_instance
        and "label_from_instance" not in vars(field)
    ):
        # The model says which column its name is (`label_field`, `str()` of a record): the
        # options are read as (id, name) pairs, without making a hundred records.
        listed.choices += list(choices.queryset.values_list("pk", label))
    else:
        listed.choices += [choices.choice(obj) for obj in choices.queryset.all()]
    return listed


@register.filter
def to_json(value):
    return mark_safe(json.dumps(value, ensure_ascii=False).replace("</", "<\\/"))


@register.filter
def light_badge(light):
    """A traffic light (anything with .code and .label) as a coloured dot and its name."""
    if light is None:
        return ""
    colours = {"red": "danger", "yellow": "warning", "green": "success"}
    return mark_safe(
        f'<span class="badge rounded-pill text-bg-{colours[light.code]} light-{light.code}" '
        f'data-light="{light.code}">{light.label}</span>'
    )


@register.filter
def status_badge(obj):
    """A status in the colour its model gives it (`Status.tones`), grey when it names none."""
    status = getattr(obj, "status", "")
    tones = getattr(getattr(type(obj), "Status", None), "tones", {})
    return _badge(tones.get(status, "secondary"), obj.get_status_display())


def status_badge_of(choices, status: str) -> str:
    """The badge `status_badge` shows for an object of `choices`' model in `status`, from the
    value alone (a list read as plain rows has no object)."""
    tone = getattr(choices, "tones", {}).get(status, "secondary")
    return _badge(tone, dict(choices.choices).get(status, status))


def _badge(tone: str, label: str) -> str:
    text = "text-bg-light border" if tone == "light" else f"text-bg-{tone}"
    return mark_safe(f'<span class="badge {text}">{label}</span>')


@register.filter(is_safe=True)
@stringfilter
def clip(value: str, length) -> str:
    """At most `length` characters, the last an ellipsis when the text is cut (Django's
    `truncatechars` without its per-character Unicode walk and translation look-up, which cost
    a list page of 200 short cells 10 ms; Chinese text has no combining characters to spare)."""
    length = int(length)
    if len(value) <= length:
        return value
    return value[: max(length - 1, 0)] + "…"


# Pattern letters of Django's `date` filter that are plain zero-padded numbers: the attribute
# each prints, its width, and whether a date (no time of day) has it.
_NUMBERS = {
    "Y": ("year", 4, True), "m": ("month", 2, True), "d": ("day", 2, True),
    "H": ("hour", 2, False), "i": ("minute", 2, False), "s": ("second", 2, False),
}  # fmt: skip


@functools.lru_cache(maxsize=64)
def _tokens(pattern: str) -> tuple | None:
    """A numeric date pattern ("Y-m-d H:i") as `_NUMBERS` entries and literal text, or None when
    it has other letters or escapes (Django's filter prints those)."""
    tokens = []
    for ch in pattern:
        if ch in _NUMBERS:
            tokens.append(_NUMBERS[ch])
        elif ch.isalpha() or ch == "\\":
            return None
        else:
            tokens.append(ch)
    return tuple(tokens)


@register.filter(expects_localtime=True)
def ymd(value, pattern: str = "Y-m-d") -> str:
    """A date or moment in a numeric pattern of Django's `date` filter — 2024-03-01 by default,
    `ymd:"m-d H:i"` and the like — printing what `date` prints (an aware moment in the platform's
    zone, nothing for an empty value) without Django's format machinery: a look-up of the pattern
    in the active language's format modules and a walk of it, about 20 µs a value where a plan
    page prints two hundred. Other patterns go to Django. (A date asked for its hour, which
    Django's filter fails on, prints nothing.)"""
    if pattern == "Y-m-d":  # most of them
        if isinstance(value, datetime.datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, datetime.date) else ""
    tokens = _tokens(pattern)
    if tokens is None:
        return date_filter(value, pattern)
    if not isinstance(value, datetime.date):
        return ""
    timed = isinstance(value, datetime.datetime)
    parts = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(token)
            continue
        attribute, width, on_dates = token
        if not (timed or on_dates):
            return ""
        parts.append(str(getattr(value, attribute)).zfill(width))
    return "".join(parts)


@register.filter
def route(pk, name: str) -> str:
    """`{{ obj.pk|route:"app:view" }}` gives what `{% url "app:view" obj.pk %}` gives for a route
    with one integer id, the address worked out once per route (`core.links`): for lists, where
    `{% url %}` would reverse it again on every row."""
    from oversight.core.links import object_url

    return object_url(name, pk)


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% fixed_url "app:view" %}` gives what `{% url "app:view" %}` gives for a route without
    arguments, reversed once per process (`core.links`): for the layout, on every page."""
    from oversight.core.links import fixed_url as address

    return address(name)


@register.simple_tag
def asset(path: str) -> str:
    """`{% asset "css/x.css" %}` gives what `{% static "css/x.css" %}` gives, once per process."""
    from oversight.core.links import asset_url

    return asset_url(path)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def make_choices(text: str):
    """ "a:甲,b:乙" → [("a", "甲"), ("b", "乙")], for small fixed selects in templates."""
    return [tuple(pair.split(":", 1)) for pair in text.split(",")]


@register.filter
def estimated(day) -> str:
    """A note after a deadline that falls in a year whose holiday arrangement is not published:
    its working days are estimated from the statutory holidays."""
    from oversight.core.calendar import year_is_known

    if day is None or not hasattr(day, "year") or year_is_known(day.year):
        return ""
    return "(按估算日历)"


class CardNode(template.Node):
    def __init__(self, classes, testid, header, content):
        self.classes, self.testid, self.header, self.content = classes, testid, header, content

    def render(self, context):
        classes = self.classes.resolve(context) if self.classes else ""
        testid = self.testid.resolve(context) if self.testid else ""
        attrs = f' data-testid="{conditional_escape(testid)}"' if testid else ""
        return (
            f'<div class="card {conditional_escape(classes)}"{attrs}>'
            f'<div class="card-header bg-white fw-semibold">{self.header.render(context)}</div>'
            f"{self.content.render(context)}</div>"
        )


@register.tag("card")
def card(parser, token):
    """A panel: `{% card "mb-3" "testid" %}标题{% content %}…{% endcard %}`.

    The header and the content are template text (a table, a card-body, a list group); the
    optional arguments are extra classes of the card and its data-testid.
    """
    bits = token.split_contents()[1:]
    if len(bits) > 2:
        raise template.TemplateSyntaxError("card 最多两个参数:样式类、data-testid。")
    args = [parser.compile_filter(b) for b in bits] + [None, None]
    header = parser.parse(("content",))
    parser.delete_first_token()
    content = parser.parse(("endcard",))
    parser.delete_first_token()
    return CardNode(args[0], args[1], header, content)


def _choices(field):
    """Radio buttons and check boxes one by one, so the chosen one shows (同意 / 不同意)."""
    kind = "radio" if field.widget_type == "radioselect" else "checkbox"
    invalid = " is-invalid" if field.errors else ""
    required = " required" if kind == "radio" and field.field.required else ""
    parts = []
    for choice in field:
        parts.append(
            format_html(
                '<div class="form-check form-check-inline">'
                '<input type="{}" class="form-check-input{}" name="{}" id="{}" value="{}"{}{}>'
                '<label class="form-check-label" for="{}">{}</label></div>',
                kind,
                invalid,
                field.html_name,
                choice.id_for_label,
                choice.data["value"],
                mark_safe(" checked") if choice.data["selected"] else "",
                mark_safe(required),
                choice.id_for_label,
                choice.choice_label,
            )
        )
    return mark_safe(f'<div data-testid="choices-{field.name}">{"".join(parts)}</div>')


# -- memo: a rendered fragment kept under a digest of everything it shows -----------------------

MEMO_SECONDS = 600


class MemoNode(template.Node):
    def __init__(self, name: str, values: dict, nodelist) -> None:
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.values.items()}
        key = memo_key(self.name, values)
        try:
            html = cache.get(key)
        except Exception:  # the cache being down makes a page slower, not broken
            log.warning("片段缓存不可用，直接渲染 %s", self.name, exc_info=True)
            html = None
        if html is not None:
            return html
        # Only the named values: anything else the body read would not be in the key.
        html = self.nodelist.render(context.new(values))
        if "csrfmiddlewaretoken" in html:
            raise template.TemplateSyntaxError(
                f"memo 片段 {self.name} 含有表单令牌：令牌因人而异，不能缓存。"
            )
        try:
            cache.set(key, str(html), MEMO_SECONDS)
        except Exception:
            log.warning("片段缓存不可用，未保存 %s", self.name, exc_info=True)
        return html


@register.tag("memo")
def memo(parser, token):
    """A fragment rendered once for the values it shows: `{% memo "plan-tasks" rows=rows %}…
    {% endmemo %}`.

    The body sees only the named values — plain data (text, numbers, dates, enum members, and
    tuples, lists, dicts and dataclasses of them), not model instances — and the rendered HTML
    is kept in the cache for ten minutes under a digest of those values, the address prefix and
    the platform's templates and tags (`memo_key`). The same rows give the same HTML, so it can
    never show anything stale; a page shown again with unchanged rows skips rendering them. No
    form tokens inside (they differ by session), and no addresses made inside either (`{% url %}`,
    `route`): links come in the values, so that a change of routes changes the key."""
    bits = token.split_contents()[1:]
    if not bits or "=" in bits[0]:
        raise template.TemplateSyntaxError('memo 的第一个参数是片段名称，如 "plan-tasks"。')
    values = {}
    for bit in bits[1:]:
        name, sep, expression = bit.partition("=")
        if not sep or not name.isidentifier():
            raise template.TemplateSyntaxError(f"memo 的参数应写作 名称=值，而不是 {bit}。")
        values[name] = parser.compile_filter(expression)
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(bits[0].strip("\"'"), values, nodelist)


def memo_key(name: str, values: dict) -> str:
    """The cache key of a fragment: what it shows (`_canonical`), its name, the address prefix
    its links carry and the code that renders it (`_code_digest`)."""
    parts = [_code_digest(), name, get_script_prefix()]
    for key in sorted(values):
        parts.append(key)
        _canonical(values[key], parts)
    return "memo:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


_SCALARS = (str, int, float, decimal.Decimal, datetime.date, datetime.time, enum.Enum)


def _canonical(value, out: list) -> None:
    """Write down a value so that two values are written the same only when they render the
    same: each value with its type (a marked-safe text renders differently from plain text)."""
    if value is None or isinstance(value, _SCALARS):
        out.append(f"{type(value).__name__}:{value!r}")
    elif isinstance(value, tuple | list):
        out.append(f"{type(value).__name__}[{len(value)}")
        for item in value:
            _canonical(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append(f"dict[{len(value)}")
        for item_key in sorted(value, key=repr):
            _canonical(item_key, out)
            _canonical(value[item_key], out)
        out.append("]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"{type(value).__name__}(")
        for item in dataclasses.fields(value):
            _canonical(getattr(value, item.name), out)
        out.append(")")
    else:
        raise TypeError(
            f"memo 片段只接受文字、数字、日期等简单数据，不接受 {type(value).__name__}："
            "请在视图中先整理成行。"
        )


@functools.cache
def _code_digest() -> str:
    """A digest of every template and template tag module of the platform: a release that
    changes how a fragment renders never meets the fragments of the one before (the cache may
    outlive a restart)."""
    digest = hashlib.blake2b(digest_size=12)
    root = Path(__file__).resolve().parents[2]  # the oversight package
    for path in sorted([*root.rglob("templates/**/*.html"), *root.rglob("templatetags/*.py")]):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
