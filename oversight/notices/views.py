from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from oversight.core.views import CapabilityRequiredMixin, Column, ObjectListView, ScopedObjectMixin

from . import services
from .forms import NoticeUploadForm, TaskEditForm, UnitMappingForm, YearForm
from .models import NoticeDraft
from .services import DuplicateNotice


class DraftListView(ObjectListView):
    capability = "notices.import"
    model = NoticeDraft
    title = "通知导入"
    export_name = "通知导入"
    default_sort = "-created_at"
    columns = [
        Column("通知", lambda d: str(d), link=True),
        Column("格式", "source_format"),
        Column("任务数", lambda d: len(d.parsed.get("tasks", []))),
        Column("状态", "get_status_display", sort="status"),
        Column("导入人", "created_by"),
        Column("导入时间", "created_at", sort="created_at"),
    ]

    def get_queryset(self):
        return NoticeDraft.objects.restrict(self.request.user, "view").select_related("created_by")

    def get_actions(self):
        return [("导入通知", reverse("notices:draft_new"), "bi-upload")]


class DraftCreateView(CapabilityRequiredMixin, View):
    capability = "notices.import"

    def get(self, request):
        return render(request, "notices/draft_new.html", {"form": NoticeUploadForm()})

    def post(self, request):
        form = NoticeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload:
                if upload.size > services.MAX_BYTES:
                    form.add_error(
                        "file", f"文件过大,上限为 {services.MAX_BYTES // 1024 // 1024} MB。"
                    )
                    return render(request, "notices/draft_new.html", {"form": form})
                data, filename = upload.read(), upload.name
            else:
                data, filename = form.cleaned_data["text"].encode("utf-8"), "粘贴文本.txt"
            try:
                draft = services.draft_create(
                    data=data, filename=filename, year=form.cleaned_data["year"], user=request.user
                )
            except DuplicateNotice as exc:
                messages.info(request, exc.messages[0])
                return redirect(exc.plan.get_absolute_url())
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect(draft.get_absolute_url())
        return render(request, "notices/draft_new.html", {"form": form})


class DraftMixin(CapabilityRequiredMixin, ScopedObjectMixin):
    capability = "notices.import"
    model = NoticeDraft
    action = "change"


def _grouped(tasks: list[dict]) -> list[tuple[str, list[tuple[str, list[tuple[int, dict]]]]]]:
    """Tasks by part, then by section, keeping their indexes for editing."""
    parts: list[tuple[str, list[tuple[str, list[tuple[int, dict]]]]]] = []
    for index, task in enumerate(tasks):
        section = task.get("section") or []
        part = section[0] if section else ""
        sub = " › ".join(section[1:])
        if not parts or parts[-1][0] != part:
            parts.append((part, []))
        sections = parts[-1][1]
        if not sections or sections[-1][0] != sub:
            sections.append((sub, []))
        sections[-1][1].append((index, task))
    return parts


class DraftReviewView(DraftMixin, View):
    action = "view"

    def get(self, request, pk):
        draft = self.get_object()
        return render(request, "notices/draft_review.html", self.context(draft))

    def context(self, draft, **extra):
        names = services.unit_names(draft)
        resolution = []
        for name in names:
            found = services.resolve_with_mapping(draft, name)
            mapped = name in draft.mapping
            resolution.append({"name": name, "found": found, "mapped": mapped})
        unknown = [r for r in resolution if r["found"] is None]
        diff = services.plan_diff(draft.target_plan, draft.parsed) if draft.target_plan_id else None
        context = {
            "draft": draft,
            "parsed": draft.parsed,
            "parts": _grouped(draft.parsed["tasks"]),
            "doubtful": sum(1 for t in draft.parsed["tasks"] if t.get("doubts")),
            "body_tasks": list(enumerate(draft.parsed["body_tasks"])),
            "source_lines": draft.source_text.split("\n"),
            "resolution": resolution,
            "unknown": unknown,
            "mapping_forms": [
                UnitMappingForm(
                    initial={
                        "name": r["name"],
                        "action": "create",
                        "new_name": r["name"],
                        "kind": services.guess_kind(r["name"]),
                    },
                    user=self.request.user,
                    prefix=f"m{i}",
                )
                for i, r in enumerate(unknown)
            ],
            "diff": diff,
            "year_form": YearForm(initial={"year": draft.year}),
            "editable": draft.status == NoticeDraft.Status.DRAFT,
        }
        context.update(extra)
        return context


class DraftTaskEditView(DraftMixin, View):
    """htmx: the edit form of one parsed task, and saving it."""

    def task(self, draft, kind, index):
        if kind not in {"table", "body"}:
            raise Http404
        key = "body_tasks" if kind == "body" else "tasks"
        try:
            return draft.parsed[key][index]
        except IndexError:
            raise Http404 from None

    def get(self, request, pk, kind, index):
        draft = self.get_object()
        task = self.task(draft, kind, index)
        form = TaskEditForm(
            initial={k: task.get(k, "") for k in ("title", "text", "units_text", "deadline_text")}
        )
        return render(
            request,
            "notices/partials/task_form.html",
            {"draft": draft, "form": form, "kind": kind, "index": index, "task": task},
        )

    def post(self, request, pk, kind, index):
        draft = self.get_object()
        task = self.task(draft, kind, index)
        form = TaskEditForm(request.POST)
        if form.is_valid():
            try:
                task = services.draft_update_task(
                    draft=draft, kind=kind, index=index, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                from oversight.core.views import form_errors_to_messages

                form_errors_to_messages(form, exc)
            else:
                if request.htmx:
                    response = render(
                        request,
                        "notices/partials/task_row.html",
                        {
                            "draft": draft,
                            "task": task,
                            "kind": kind,
                            "index": index,
                            "editable": True,
                        },
                    )
                    response["HX-Trigger"] = "units-changed"
                    return response
                return redirect(draft.get_absolute_url())
        return render(
            request,
            "notices/partials/task_form.html",
            {"draft": draft, "form": form, "kind": kind, "index": index, "task": task},
        )


class DraftMapUnitView(DraftMixin, View):
    def post(self, request, pk):
        draft = self.get_object()
        prefix = request.POST.get("prefix", "")
        form = UnitMappingForm(request.POST, user=request.user, prefix=prefix or None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "unit":
                    services.draft_map_unit(
                        draft=draft, name=data["name"], unit=data["unit"], user=request.user
                    )
                elif data["action"] == "group":
                    services.draft_map_unit(
                        draft=draft, name=data["name"], group=data["group"], user=request.user
                    )
                else:
                    services.draft_map_unit(
                        draft=draft,
                        name=data["name"],
                        create={"name": data["new_name"] or data["name"], "kind": data["kind"]},
                        user=request.user,
                    )
            except ValidationError as exc:
                messages.error(request, ";".join(exc.messages))
            else:
                messages.success(request, f"已处理单位“{data['name']}”。")
        else:
            errors = [e for field in form.errors.values() for e in field]
            messages.error(request, ";".join(errors) or "请选择处理方式。")
        return redirect(draft.get_absolute_url() + "#units")


class DraftYearView(DraftMixin, View):
    def post(self, request, pk):
        draft = self.get_object()
        form = YearForm(request.POST)
        if form.is_valid():
            try:
                services.draft_set_year(
                    draft=draft, year=form.cleaned_data["year"], user=request.user
                )
                messages.success(request, f"已按 {form.cleaned_data['year']} 年重新换算相对日期。")
            except ValidationError as exc:
                messages.error(request, ";".join(exc.messages))
        else:
            messages.error(request, "请输入 2000 到 2100 之间的年份。")
        return redirect(draft.get_absolute_url())


class DraftConfirmView(DraftMixin, View):
    def post(self, request, pk):
        draft = self.get_object()
        try:
            plan = services.draft_confirm(draft=draft, user=request.user)
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
            return redirect(draft.get_absolute_url())
        messages.success(
            request,
            f"已确认导入:工作计划《{plan}》共 {plan.tasks.filter(kind='table').count()} 项任务。",
        )
        return redirect(plan.get_absolute_url())


class DraftDiscardView(DraftMixin, View):
    def post(self, request, pk):
        draft = self.get_object()
        try:
            services.draft_discard(draft=draft, user=request.user)
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            messages.info(request, "已放弃本次导入,没有创建任何数据。")
        return redirect("notices:draft_list")
