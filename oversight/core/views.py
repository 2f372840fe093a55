"""Generic views: scoped lists with filters, sorting, pagination and Excel export; scoped edits.

Every view reads through `restrict(user, action)`, so an object outside the user's scope is a 404,
and a role without the page's capability gets 403 (NetBox's generic object views in spirit).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from .excel import ImportFailed, workbook_bytes, xlsx_response
from .identifiers import mask_middle
from .importer import Importer
from .models import Job
from .params import BadParameter
from .replica import ReplicaReadsMixin
from .roles import has_capability


@dataclass
class Column:
    """A column of a list page and of its Excel export."""

    label: str
    accessor: str | Callable[[Any], Any]
    sort: str | None = None
    link: bool = False
    export: bool = True
    badge: Callable[[Any], str] | None = None
    # Where the cell links to, when not the object's own page (`link`); None for no link.
    url: Callable[[Any], str | None] | None = None

    def href(self, obj: Any) -> str | None:
        if self.url is not None:
            return self.url(obj)
        if self.link and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return None

    def value(self, obj: Any) -> Any:
        if callable(self.accessor):
            return self.accessor(obj)
        value: Any = obj
        for part in self.accessor.split("."):
            if value is None:
                return None
            value = getattr(value, part)
            if callable(value) and not isinstance(value, models.Manager):
                value = value()
        return value

    def display(self, obj: Any) -> str:
        return display_value(self.value(obj))


def display_value(value: Any) -> str:
    """A value as a list cell shows it: — for empty, 是/否, local times, ISO dates."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class LinkCheck:
    """A link is shown only where the user may follow it: the page it leads to is resolved and
    its view's `capability` checked (once per view), so a list never offers a 403.

    Objects in a list are already in the user's scope (the list reads through `restrict`)."""

    def __init__(self, user):
        self.user = user
        self.allowed: dict[Any, bool] = {}
        # By the path's shape (its numbers as 0): the rows of a list link to one view with
        # different ids, and no route has a literal number, so a shape resolves to one view.
        self.by_shape: dict[str, bool] = {}

    def __call__(self, href: str | None) -> str | None:
        if not href:
            return None
        path = href.split("?", 1)[0]
        shape = _NUMBERS.sub("0", path)
        allowed = self.by_shape.get(shape)
        if allowed is None:
            allowed = self.by_shape[shape] = self._allowed(path)
        return href if allowed else None

    def _allowed(self, path: str) -> bool:
        try:
            match = resolve(path)
        except Resolver404:
            return False
        view = getattr(match.func, "view_class", match.func)
        if view not in self.allowed:
            capability = getattr(view, "capability", None)
            self.allowed[view] = not capability or has_capability(self.user, capability)
        return self.allowed[view]


_NUMBERS = re.compile(r"\d+")


def form_errors_to_messages(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


class CapabilityRequiredMixin(LoginRequiredMixin):
    """`capability` gates the page; `post_capability`, when set, gates every write on it (a page
    that some roles only read: a 区领导 or 执法人员 gets 403 for a POST, whatever its `op`)."""

    capability: str | None = None
    post_capability: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.capability and not has_capability(request.user, self.capability):
            raise PermissionDenied("您的角色无权使用此功能。")
        if (
            self.post_capability
            and request.method not in {"GET", "HEAD", "OPTIONS"}
            and not has_capability(request.user, self.post_capability)
        ):
            raise PermissionDenied("您的角色只能查看,不能办理此事项。")
        return super().dispatch(request, *args, **kwargs)


class KnownTotal(Paginator):
    """A paginator told how many rows there are, so it does not count them."""

    def __init__(self, object_list, per_page, total: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = total  # Paginator.count is a cached property


class ObjectListView(CapabilityRequiredMixin, ReplicaReadsMixin, View):
    model: type[models.Model]
    columns: list[Column] = []
    filterset_class = None
    template_name = "core/object_list.html"
    title = ""
    default_sort: str | None = None
    per_page = 25
    export_name: str | None = None
    actions: list[tuple[str, str, str]] = []  # (label, url, icon) shown above the table

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, "view")

    def get_actions(self) -> list[tuple[str, str, str]]:
        return list(self.actions)

    def sort_keys(self) -> dict[str, str]:
        return {c.sort: c.sort for c in self.columns if c.sort}

    def filtered(self):
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                self.request.GET or None, queryset=qs, request=self.request
            )
            if filterset.is_bound and not filterset.is_valid():
                # A filter value that does not parse is shown as a form error with no rows,
                # never silently ignored (the user would take all rows for the filtered ones).
                qs = qs.none()
            elif filterset.is_bound:
                qs = filterset.qs
        sort = self.request.GET.get("sort") or self.default_sort
        if sort and sort.lstrip("-") in self.sort_keys():
            qs = qs.order_by(sort, "pk")
        return qs, filterset, sort

    def get(self, request, *args, **kwargs):
        qs, filterset, sort = self.filtered()
        if request.GET.get("export") == "xlsx" and self.export_name:
            return self.export(qs)
        raw = request.GET.get("per_page", "")
        per_page = min(200, max(10, int(raw))) if raw.isdigit() and len(raw) < 6 else self.per_page
        total = self.known_total(filterset)
        paginator = Paginator(qs, per_page) if total is None else KnownTotal(qs, per_page, total)
        page = paginator.get_page(request.GET.get("page"))
        follow = LinkCheck(request.user)
        rows = [
            (obj, [(c, c.display(obj), follow(c.href(obj))) for c in self.columns])
            for obj in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context = {
            "title": self.title or self.model._meta.verbose_name_plural,
            "columns": self.columns,
            "rows": rows,
            # The table's cells alone, plain text and addresses: `{% memo %}` keeps the rendered
            # rows under a digest of them.
            "table": [[(text, href) for _, text, href in cells] for _, cells in rows],
            "page": page,
            "filterset": filterset,
            "sort": sort,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "export": bool(self.export_name),
            "actions": self.get_actions(),
        }
        context.update(self.extra_context())
        template = "core/partials/object_table.html" if request.htmx else self.template_name
        return render(request, template, context)

    def extra_context(self) -> dict[str, Any]:
        return {}

    def known_total(self, filterset) -> int | None:
        """The number of rows the filters give, where it is kept and need not be counted (a
        list of a million rows spends most of its time counting them); None to count."""
        return None

    def export(self, qs) -> HttpResponse:
        columns = [c for c in self.columns if c.export]
        # Read in chunks (prefetches included) and written as read: an export of every row never
        # holds the whole table in memory.
        rows = ([c.value(obj) for c in columns] for obj in qs.iterator(chunk_size=2000))
        content = workbook_bytes([(self.export_name, [c.label for c in columns], rows)])
        stamp = timezone.localtime().strftime("%Y%m%d")
        return xlsx_response(f"{self.export_name}-{stamp}.xlsx", content)


class ScopedObjectMixin:
    """Fetch the object through `restrict`; anything outside the user's scope is a 404."""

    model: type[models.Model]
    action = "view"

    def get_object(self):
        qs = self.model.objects.restrict(self.request.user, self.action)
        try:
            return qs.get(pk=self.kwargs["pk"])
        except (self.model.DoesNotExist, ValueError) as exc:
            raise Http404("对象不存在或不在您的权限范围内。") from exc


class ObjectFormView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """Create (no pk) or edit an object through a service; the service re-checks scope.

    Subclasses define `save(form, obj)`, which calls the service and returns the saved object.
    """

    form_class = None
    template_name = "core/object_form.html"
    action = "change"
    title = ""
    success_message = "已保存。"

    def get_object_or_none(self):
        return self.get_object() if "pk" in self.kwargs else None

    def get_form(self, obj, data=None, files=None):
        return self.form_class(data=data, files=files, instance=obj, user=self.request.user)

    def success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def render_form(self, form, obj):
        title = self.title or (
            f"编辑{self.model._meta.verbose_name}"
            if obj
            else f"新增{self.model._meta.verbose_name}"
        )
        return render(
            self.request,
            self.template_name,
            {"form": form, "object": obj, "title": title, "cancel_url": self.cancel_url(obj)},
        )

    def cancel_url(self, obj) -> str:
        """Where 取消 goes: the object, or the page the user came from on this site."""
        if obj is not None and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        referer = self.request.META.get("HTTP_REFERER", "")
        host = self.request.get_host()
        if (
            url_has_allowed_host_and_scheme(referer, {host})
            and referer != self.request.build_absolute_uri()
        ):
            return referer
        return "/"

    def get(self, request, *args, **kwargs):
        obj = self.get_object_or_none()
        return self.render_form(self.get_form(obj), obj)

    def post(self, request, *args, **kwargs):
        obj = self.get_object_or_none()
        form = self.get_form(obj, request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = self.save(form, obj)
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            except PermissionDenied as exc:
                raise Http404("对象不在您的权限范围内。") from exc
            else:
                messages.success(request, self.success_message)
                return redirect(self.success_url(saved))
        return self.render_form(form, obj)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="文件", help_text="使用导入模板;先预览,全部行校验通过后再确认写入。"
    )


PREVIEW_ROWS = 50


def _preview_cell(column, value) -> str:
    if column.masked and value not in (None, ""):
        return mask_middle(str(value))
    return display_value(value)


_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _pending_name(user, token: str, ext: str) -> str:
    return f"imports/{user.pk}/{token}{ext}"


class ImportView(CapabilityRequiredMixin, View):
    """Every import, one page: template download, upload → preview (a dry run) → confirm.

    The uploaded file waits in storage under the user's own folder between preview and confirm;
    the confirm step runs the whole import again (the data may have changed meanwhile), so a
    preview can never write and a confirm never writes what was not checked.
    """

    importer_class: type[Importer]
    template_name = "core/import.html"
    success_url: str = ""  # a URL name to go to after the import

    def dispatch(self, request, *args, **kwargs):
        self.capability = self.importer_class.capability
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.GET.get("template"):
            return xlsx_response(
                f"{self.importer_class.title}导入模板.xlsx", self.importer_class.template_bytes()
            )
        return self.render_page(ImportUploadForm())

    def render_page(self, form, **extra):
        importer = self.importer_class
        form.fields["file"].widget.attrs["accept"] = ".xlsx,.csv" if importer.allow_csv else ".xlsx"
        context = {"title": f"导入{importer.title}", "importer": importer, "form": form} | extra
        return render(self.request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        if request.POST.get("op") == "commit":
            return self.commit(request.POST.get("token", ""), request.POST.get("ext", ""))
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form)
        upload = form.cleaned_data["file"]
        ext = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
        importer = self.importer_class(user=request.user)
        try:
            result = importer.run(upload, upload.name, dry_run=True)
        except ImportFailed as exc:
            return self.render_page(form, row_errors=exc.row_errors)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.render_page(form)
        token = secrets.token_urlsafe(24)
        upload.seek(0)
        default_storage.save(_pending_name(request.user, token, ext), upload)
        columns = importer.columns
        # What was read from each cell (the user's own words: 在编, 是, 2024/3/1), ID numbers masked.
        preview = [
            (row.number, [_preview_cell(c, row.raw.get(c.field)) for c in columns])
            for row in result.rows[:PREVIEW_ROWS]
        ]
        return self.render_page(
            ImportUploadForm(),
            result=result,
            token=token,
            ext=ext,
            preview=preview,
            preview_headers=[c.header for c in columns],
        )

    def commit(self, token: str, ext: str):
        if not _TOKEN.match(token) or ext not in {".xlsx", ".csv"}:
            raise BadParameter("导入凭据无效,请重新上传文件。")
        name = _pending_name(self.request.user, token, ext)
        if not default_storage.exists(name):
            messages.error(self.request, "预览已过期或已导入,请重新上传文件。")
            return redirect(self.request.path)
        # One confirmation per file: a second press (or a second tab) finds the job already there.
        kind = f"import:{token}"
        existing = Job.objects.filter(kind=kind, created_by=self.request.user).first()
        if existing is not None:
            messages.info(self.request, "该文件已在导入,请查看进度。")
            return redirect(existing)
        from . import background
        from .tasks import run_import

        importer = self.importer_class
        job = background.start(
            kind=kind,
            title=f"导入{importer.title}",
            task=run_import,
            args=[
                f"{importer.__module__}.{importer.__qualname__}",
                name,
                reverse(self.success_url) if self.success_url else self.request.path,
            ],
            user=self.request.user,
        )
        return redirect(job)


# -- actions ------------------------------------------------------------------------------------
def errors_to_messages(request, exc: Exception) -> None:
    """A refusal (a service's ValidationError, an invalid form) as one error message."""
    messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))


def form_data(form) -> dict[str, Any]:
    """The cleaned data of a bound form, or a ValidationError naming each field that is wrong."""
    if form.is_valid():
        return form.cleaned_data
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        problems.extend(f"{label}:{e}" if label else str(e) for e in errors)
    raise ValidationError(problems)


@dataclass(frozen=True)
class Op:
    """One action on an object: an optional form for its input, the service call, what to say.

    `run(view, obj, data)` calls the service (the view gives the request and its user); `message`
    is the success message, or a function of the service's result and the form's data.
    """

    run: Callable[[Any, Any, dict[str, Any]], Any]
    message: str | Callable[[Any, dict[str, Any]], str] = "已办理。"
    form: type[forms.Form] | None = None
    # A form that needs the view (its user or object), e.g. choices in scope.
    form_kwargs: Callable[[Any, Any], dict[str, Any]] | None = None
    # Who may run it beyond the page's own gate: restrict(user, action) on the object.
    action: str | None = None


class ObjectActionMixin:
    """`post` runs the `op` named in the URL (`op` kwarg) or the form (`op` field) from `ops`:
    the object is read through `restrict`, the form is validated, the service runs in a
    transaction, its refusal becomes an error message, and the user returns to the object
    (or, for an htmx request, gets `action_partial` rendered with the object)."""

    ops: dict[str, Op] = {}
    default_op: str = ""  # the op of a form that names none
    action_partial: str | None = None
    # Ops whose refused form comes back on the object's page with what was typed and the errors
    # on its fields, not as a message over an empty form: {op: (page view class, its form kwarg)}.
    error_pages: dict[str, tuple[type, str]] = {}

    def action_url(self, obj) -> str:
        """Where the user returns after an action (and after a refused one)."""
        return obj.get_absolute_url()

    def success_url(self, obj, result) -> str:
        """Where the user goes after an action that succeeded; by default back to the object."""
        return self.action_url(obj)

    def post(self, request, *args, **kwargs):
        name = kwargs.get("op") or request.POST.get("op") or self.default_op
        op = self.ops.get(name.replace("-", "_"))
        if op is None:
            raise Http404("没有这项操作。")
        obj = self.get_object()
        if (
            op.action
            and not type(obj).objects.restrict(request.user, op.action).filter(pk=obj.pk).exists()
        ):
            raise Http404("对象不在您的权限范围内。")
        try:
            data: dict[str, Any] = {}
            self.form = None
            if op.form is not None:
                extra = op.form_kwargs(self, obj) if op.form_kwargs else {}
                self.form = op.form(request.POST, request.FILES, **extra)
                data = form_data(self.form)
            with transaction.atomic():
                result = op.run(self, obj, data)
        except ValidationError as exc:
            page = self.error_pages.get(name.replace("-", "_"))
            if page is not None and self.form is not None:
                if self.form.is_valid():  # the service refused: its errors go on the fields
                    form_errors_to_messages(self.form, exc)
                messages.error(request, "未能保存,请按标出的提示修改。")
                view_class, form_kwarg = page
                view = view_class()
                view.setup(request, pk=obj.pk)
                return view.get(request, obj.pk, **{form_kwarg: self.form})
            errors_to_messages(request, exc)
        except PermissionDenied as exc:
            raise Http404("对象不在您的权限范围内。") from exc
        else:
            text = op.message(result, data) if callable(op.message) else op.message
            if text:
                messages.success(request, text)
            if getattr(request, "htmx", False) and self.action_partial:
                obj.refresh_from_db()
                return render(request, self.action_partial, {"object": obj})
            return redirect(self.success_url(obj, result))
        if getattr(request, "htmx", False) and self.action_partial:
            return render(request, self.action_partial, {"object": obj})
        return redirect(self.action_url(obj))


class ObjectActionView(ObjectActionMixin, CapabilityRequiredMixin, ScopedObjectMixin, View):
    """POST-only endpoint for the actions on one object (`ops`)."""


class ServiceFormView(CapabilityRequiredMixin, View):
    """A page whose form runs one service (start a campaign, record an inspection, draw, …).

    GET shows the form (`initial()` fills it); POST validates it and calls `run(data)`; success
    shows `success_message` and goes to `success_url(result)`. A service's ValidationError lands
    on the form (field errors on their fields, the rest on top) with what was typed kept; a
    PermissionDenied is a 404, as everywhere.
    """

    form_class: type[forms.Form]
    template_name = "core/object_form.html"
    title = ""
    success_message: str | Callable[[Any], str] = "已保存。"
    form_takes_user = False  # the form limits its choices to the user's scope

    def initial(self) -> dict[str, Any]:
        return {}

    def run(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def success_url(self, result) -> str:
        return result.get_absolute_url()

    def get_form(self, data=None, files=None):
        kwargs = {"user": self.request.user} if self.form_takes_user else {}
        if data is None:
            kwargs["initial"] = self.initial()
        return self.form_class(data=data, files=files, **kwargs)

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": self.title, "cancel_url": ""},
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            self.form = form
            try:
                with transaction.atomic():
                    result = self.run(form.cleaned_data)
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            except PermissionDenied as exc:
                raise Http404("对象不在您的权限范围内。") from exc
            else:
                message = self.success_message
                messages.success(request, message(result) if callable(message) else message)
                return redirect(self.success_url(result))
        return self.render_form(form)


class ObjectDeleteView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """POST deletes the object through `delete(obj)` (the service); the object is read through
    `restrict(user, "delete")`. A refusal (in use, say) returns to the object with the reason."""

    action = "delete"

    def delete(self, obj) -> None:
        raise NotImplementedError

    def success_url(self, obj) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            with transaction.atomic():
                self.delete(obj)
        except ValidationError as exc:
            errors_to_messages(request, exc)
            return redirect(obj.get_absolute_url())
        except PermissionDenied as exc:
            raise Http404("对象不在您的权限范围内。") from exc
        messages.success(request, f"已删除{obj._meta.verbose_name}“{obj}”。")
        return redirect(self.success_url(obj))


class ObjectDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """GET shows one object read through `restrict(user, "view")` in `template_name`, with
    `context(obj)` added (the object is `object` and, by its model name, e.g. `certificate`)."""

    template_name = ""

    def context(self, obj) -> dict[str, Any]:
        return {}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        data = {"object": obj, obj._meta.model_name: obj} | self.context(obj)
        return render(request, self.template_name, data)
