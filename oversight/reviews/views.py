from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from oversight.core.documents import docx_response
from oversight.core.excel import xlsx_response
from oversight.core.roles import Role, has_capability
from oversight.core.uploads import serve_file
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ObjectActionMixin,
    ObjectDetailView,
    ObjectListView,
    Op,
    ScopedObjectMixin,
    ServiceFormView,
)

from . import services
from .documents import report_docx, report_xlsx, round_figures
from .forms import (
    AnswerForm,
    ArbitrateForm,
    AssignForm,
    GradesForm,
    ItemDeleteForm,
    ItemForm,
    ObjectForm,
    RoundForm,
    SchemeCreateForm,
    SheetForm,
    UploadForm,
)
from .models import Reviewer, ReviewFile, ReviewRound, ReviewScheme, ScoreSheet
from .selectors import problem_figures


# -- schemes ------------------------------------------------------------------------------------
class SchemeListView(ObjectListView):
    capability = "reviews.view"
    model = ReviewScheme
    title = "评查标准"
    export_name = "评查标准"
    columns = [
        Column("名称", "title", link=True),
        Column("年度", "year", sort="year"),
        Column("项目数", "item_count"),
        Column("已启用(冻结)", "frozen"),
    ]

    def get_queryset(self):
        from django.db.models import Count

        return ReviewScheme.objects.annotate(item_count=Count("items")).order_by(
            "-year", "act_type"
        )

    def get_actions(self):
        if not has_capability(self.request.user, "reviews.manage"):
            return []
        return [("新建评查标准", reverse("reviews:scheme_add"), "bi-plus-lg")]


class SchemeCreateView(ServiceFormView):
    capability = "reviews.manage"
    form_class = SchemeCreateForm
    title = "新建评查标准"
    success_message = "评查标准已建立,请核对各项目和分值。"

    def initial(self):
        return {"year": timezone.localdate().year, "act_type": "penalty"}

    def run(self, data):
        return services.scheme_create(user=self.request.user, **data)


class SchemeDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "reviews.view"
    post_capability = "reviews.manage"
    model = ReviewScheme
    template_name = "reviews/scheme_detail.html"

    def get_object(self):
        return get_object_or_404(ReviewScheme, pk=self.kwargs["pk"])

    def context(self, scheme):
        return {
            "items": scheme.items.all(),
            "manager": has_capability(self.request.user, "reviews.manage") and not scheme.frozen,
            "item_form": ItemForm(),
            "grades_text": ",".join(f"{g[0]:g}={g[1]}" for g in scheme.grades),
        }

    ops = {
        "add_item": Op(
            lambda v, s, d: services.scheme_item_save(
                scheme=s,
                item=None,
                data={k: val for k, val in d.items() if val is not None},
                user=v.request.user,
            ),
            "项目已添加。",
            form=ItemForm,
        ),
        "delete_item": Op(
            lambda v, s, d: services.scheme_item_delete(
                item=get_object_or_404(s.items, pk=d["item"]), user=v.request.user
            ),
            "项目已删除。",
            form=ItemDeleteForm,
        ),
        "grades": Op(
            lambda v, s, d: services.scheme_grades_save(
                scheme=s, grades=d["grades"], user=v.request.user
            ),
            "等次已保存。",
            form=GradesForm,
        ),
    }


# -- rounds -------------------------------------------------------------------------------------
class RoundListView(ObjectListView):
    capability = "reviews.view"
    model = ReviewRound
    title = "案卷评查"
    export_name = "案卷评查活动"
    columns = [
        Column("名称", "title", link=True),
        Column("年度", "year", sort="year"),
        Column("结案期间", lambda r: f"{r.closed_from:%Y-%m-%d} 至 {r.closed_to:%Y-%m-%d}"),
        Column("案卷数", "file_count"),
        Column("状态", "get_status_display", sort="status"),
        Column("公布日期", "published_on"),
    ]

    def get_queryset(self):
        from django.db.models import Count

        return (
            ReviewRound.objects.restrict(self.request.user, "view")
            .annotate(file_count=Count("files"))
            .order_by("-year", "-pk")
        )

    def get_actions(self):
        if not has_capability(self.request.user, "reviews.manage"):
            return []
        return [
            ("新建评查活动", reverse("reviews:round_add"), "bi-plus-lg"),
            ("评查标准", reverse("reviews:scheme_list"), "bi-card-checklist"),
            ("问题分析", reverse("reviews:problems"), "bi-bar-chart"),
        ]


class RoundCreateView(ServiceFormView):
    capability = "reviews.manage"
    form_class = RoundForm
    title = "新建案卷评查活动"
    success_message = "评查活动已建立,核对后点击“抽取案卷”。"

    def initial(self):
        today = timezone.localdate()
        year = today.year - 1 if today.month < 7 else today.year
        return {
            "year": year,
            "title": f"{year}年度行政执法案卷评查",
            "act_types": ["penalty"],
            "closed_from": f"{year}-01-01",
            "closed_to": f"{year}-12-31",
            "per_unit": 3,
            "min_per_unit": 1,
        }

    def run(self, data):
        units = list(data.pop("units"))
        return services.round_create(data=data, units=units, user=self.request.user)


def _assign(view, review, data):
    people = []
    for user in data["people"]:
        roles = user.role_codes
        if Role.SPECIAL_SUPERVISOR in roles:
            kind = Reviewer.Kind.SPECIAL
        elif Role.SUPERVISOR in roles:
            kind = Reviewer.Kind.BUREAU
        else:
            kind = Reviewer.Kind.OFFICER
        from oversight.enforcement.models import Officer

        people.append(
            {
                "user": user,
                "kind": kind,
                "unit": user.primary_unit if kind == Reviewer.Kind.OFFICER else None,
                "officer": Officer.objects.filter(user=user).first(),
            }
        )
    return services.round_assign(review=review, people=people, user=view.request.user)


def _verify(view, review, data):
    ok, message = services.round_verify(review)
    if not ok:
        raise ValidationError(message)
    return message


class RoundDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "reviews.view"
    post_capability = "reviews.manage"
    model = ReviewRound
    template_name = "reviews/round_detail.html"

    def get(self, request, *args, **kwargs):
        review = self.get_object()
        fmt = request.GET.get("format")
        if fmt == "docx":
            return docx_response(f"{review.title}评查报告.docx", report_docx(review))
        if fmt == "xlsx":
            return xlsx_response(f"{review.title}评查结果.xlsx", report_xlsx(review))
        return super().get(request, *args, **kwargs)

    def context(self, review):
        files = review.files.select_related("case", "unit").order_by("unit__sort_order", "pk")
        return {
            "files": files,
            "manager": has_capability(self.request.user, "reviews.manage"),
            "assign_form": AssignForm(),
            "figures": round_figures(review)
            if review.status == ReviewRound.Status.PUBLISHED
            else None,
            "reviewers": review.reviewers.select_related("user", "unit"),
        }

    ops = {
        "draw": Op(
            lambda v, r, d: services.round_draw(review=r, user=v.request.user),
            lambda res, d: f"已抽取 {res.files.count()} 份案卷。",
        ),
        "verify": Op(_verify, lambda res, d: res),
        "assign": Op(_assign, lambda res, d: f"已分配评分表 {res} 份。", form=AssignForm),
        "publish": Op(
            lambda v, r, d: services.round_publish(review=r, user=v.request.user),
            lambda res, d: f"评查结果已公布({res.number}),各单位可在异议期内提出异议。",
        ),
    }


# -- files --------------------------------------------------------------------------------------
class FileListView(ObjectListView):
    """Every file the user reaches: the bureau all, a unit its own, a reviewer those assigned."""

    capability = "reviews.files"
    model = ReviewFile
    title = "评查案卷"
    export_name = "评查案卷"
    columns = [
        Column("案号", "case.number", link=True),
        Column("评查活动", "round"),
        Column("单位", "unit"),
        Column("状态", "get_status_display", sort="status"),
        Column(
            "得分",
            lambda f: (
                f.final_score if f.round.status == "published" or f.status == "locked" else None
            ),
        ),
        Column("等次", lambda f: f.grade if f.round.status == "published" else ""),
    ]

    def get_queryset(self):
        return ReviewFile.objects.restrict(self.request.user, "view").select_related(
            "case", "round", "unit"
        )


def _sheet_rows(request, scheme) -> list[dict]:
    rows = []
    for item in scheme.items.all():
        reason = request.POST.get(f"reason_{item.pk}", "").strip()
        if item.veto:
            if request.POST.get(f"veto_{item.pk}"):
                rows.append({"item": item.pk, "reason": reason})
            continue
        raw = request.POST.get(f"points_{item.pk}", "").strip()
        if not raw:
            continue
        try:
            points = Decimal(raw)
        except InvalidOperation as exc:
            raise ValidationError(f"“{item.text}”的扣分“{raw[:10]}”不是数字。") from exc
        if points:
            rows.append({"item": item.pk, "points": points, "reason": reason})
    return rows


def _decisions(request, sheet) -> dict[int, bool]:
    found = {}
    for deduction in sheet.deductions.filter(suggested=True):
        value = request.POST.get(f"decision_{deduction.pk}")
        if value in {"1", "0"}:
            found[deduction.pk] = value == "1"
    return found


def _score(view, review_file, data):
    sheet = review_file.sheets.filter(reviewer__user=view.request.user, submitted_at=None).first()
    if sheet is None:
        raise ValidationError("您没有待提交的评分表。")
    return services.sheet_submit(
        review_file=review_file,
        deductions=_sheet_rows(view.request, review_file.scheme),
        decisions=_decisions(view.request, sheet),
        comment=data["comment"],
        signed_name=data["signed_name"],
        user=view.request.user,
    )


class FileDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "reviews.files"
    model = ReviewFile
    template_name = "reviews/file_detail.html"

    UNIT_OPS = {"upload", "object"}
    MANAGER_OPS = {"arbitrate", "answer"}

    def dispatch(self, request, *args, **kwargs):
        op = request.POST.get("op")
        self.post_capability = (
            "reviews.unit"
            if op in self.UNIT_OPS
            else "reviews.manage"
            if op in self.MANAGER_OPS
            else "reviews.score"
        )
        return super().dispatch(request, *args, **kwargs)

    def context(self, review_file):
        user = self.request.user
        manager = has_capability(user, "reviews.manage")
        sheets = list(
            review_file.sheets.select_related("reviewer__user").prefetch_related("deductions__item")
        )
        mine = next((s for s in sheets if s.reviewer.user_id == user.pk), None)
        first_done = all(s.submitted_at for s in sheets if s.role == ScoreSheet.Role.FIRST)
        published = review_file.round.status == ReviewRound.Status.PUBLISHED
        unit_side = (
            has_capability(user, "reviews.unit")
            and ReviewFile.objects.restrict(user, "change").filter(pk=review_file.pk).exists()
        )
        # Blind scoring: a reviewer sees the others' sheets once every first sheet is in; the unit
        # once the results are published; the bureau and leaders always.
        if mine is not None and not first_done:
            visible = [mine]  # a reviewer, the bureau's own staff included, scores blind
        elif manager or Role.LEADER in user.role_codes or mine is not None:
            visible = sheets
        elif published:
            visible = [s for s in sheets if s.submitted_at]
        else:
            visible = []
        items = list(review_file.scheme.items.all())
        my_deductions = {d.item_id: d for d in mine.deductions.all()} if mine else {}
        return {
            "manager": manager,
            "unit_side": unit_side,
            "published": published,
            "mine": mine if mine and not mine.submitted_at else None,
            "my_rows": [(i, my_deductions.get(i.pk)) for i in items],
            "visible": [s for s in visible if s is not mine or s.submitted_at],
            "show_result": manager or Role.LEADER in user.role_codes or published,
            "can_upload": unit_side
            and review_file.status in {ReviewFile.Status.AWAITING, ReviewFile.Status.SCORING}
            and not any(s.submitted_at for s in sheets),
            "can_score": review_file.status
            in {ReviewFile.Status.SCORING, ReviewFile.Status.ARBITRATION},
            "today": timezone.localdate(),
            "upload_form": UploadForm(),
            "arbitrate_form": ArbitrateForm(),
            "answer_form": AnswerForm(),
            "sheet_form": SheetForm(initial={"signed_name": getattr(user, "full_name", "")}),
        }

    ops = {
        "upload": Op(
            lambda v, f, d: services.file_upload(
                review_file=f,
                name=d["file"].name if d.get("file") else "",
                data=d["file"].read() if d.get("file") else b"",
                link=d.get("link") or "",
                decision_name=d["decision"].name if d.get("decision") else "",
                decision_data=d["decision"].read() if d.get("decision") else b"",
                user=v.request.user,
            ),
            "案卷已上传,评查人员将在平台上阅卷评分。",
            form=UploadForm,
        ),
        "score": Op(_score, lambda res, d: f"评分已提交:{res.total} 分。", form=SheetForm),
        "arbitrate": Op(
            lambda v, f, d: services.file_arbitrate(review_file=f, user=v.request.user, **d),
            lambda res, d: "已指定复核人。" if d.get("third") else "评查组评定已记录。",
            form=ArbitrateForm,
        ),
        "object": Op(
            lambda v, f, d: services.file_object(review_file=f, user=v.request.user, **d),
            "异议已提交,区司法局将在 10 个工作日内答复。",
            form=ObjectForm,
        ),
        "answer": Op(
            lambda v, f, d: services.file_answer(review_file=f, user=v.request.user, **d),
            "异议已答复,评查结果已确定。",
            form=AnswerForm,
        ),
    }


class FileContentView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """The uploaded case file, inline for reading in the browser, to whoever may see the file."""

    capability = "reviews.files"
    model = ReviewFile

    def get(self, request, pk):
        review_file = self.get_object()
        if not review_file.file:
            raise Http404("该案卷尚未上传扫描件。")
        response = serve_file(
            review_file.file,
            content_type="application/pdf",
            inline=True,  # read in the platform's own frame: streamed, keeping the headers below
            filename=review_file.file_name or f"{review_file.case.number}.pdf",
        )
        # The file page embeds the scan for reading inline: this response alone may be framed,
        # and only by the platform's own pages.
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'; default-src 'self'"
        return response


class ProblemsView(CapabilityRequiredMixin, View):
    """Problems by item and units' results, year on year, across the published rounds."""

    capability = "reviews.view"

    def get(self, request):
        figures = problem_figures()
        years = figures["years"]
        items = figures["items"][:12]
        chart = {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [f"{y}年" for y in years]},
            "grid": {"left": 220, "right": 20, "top": 30, "bottom": 20},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "data": [text for text, _ in items][::-1]},
            "series": [
                {
                    "type": "bar",
                    "name": f"{y}年",
                    "data": [counts.get(y, 0) for _, counts in items][::-1],
                }
                for y in years
            ],
        }
        rows = [(unit, [by_year.get(y) for y in years]) for unit, by_year in figures["units"]]
        return render(
            request,
            "reviews/problems.html",
            {
                "years": years,
                "items": figures["items"],
                "rows": rows,
                "chart": chart,
                "height": max(260, 28 * len(items)),
            },
        )
