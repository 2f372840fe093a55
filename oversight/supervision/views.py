import calendar
import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from oversight.core.documents import docx_response, issuer
from oversight.core.params import id_param, year_param
from oversight.core.roles import Role, has_capability
from oversight.core.rules import rule_value
from oversight.core.uploads import INLINE_TYPES, serve_file
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ImportView,
    ObjectActionMixin,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    Op,
    ScopedObjectMixin,
    ServiceFormView,
)

from . import imports, services
from .documents import campaign_docx, document_docx
from .filtersets import LIGHTS, ClueFilterSet, DocumentFilterSet
from .forms import (
    AcceptForm,
    ActivityForm,
    AnswerForm,
    AssessmentForm,
    AttachForm,
    CampaignCloseForm,
    CampaignForm,
    CloseForm,
    ClueForm,
    ContactPointForm,
    DismissForm,
    DocumentForm,
    ExtendForm,
    FollowUpForm,
    MatterCloseForm,
    MatterForm,
    MergeForm,
    ProblemCloseForm,
    ProblemForm,
    ProblemReportForm,
    ProblemTypeForm,
    RefuseForm,
    ReplyForm,
    ReviewAnswerForm,
    ReviewForm,
    ReviewRequestForm,
    ShareForm,
    SpecialSupervisorForm,
    SupervisorClueForm,
    TrackForm,
    TransferForm,
    VerdictForm,
)
from .models import (
    Campaign,
    Clue,
    ClueAttachment,
    ContactPoint,
    Document,
    Matter,
    Problem,
    ProblemType,
    SpecialSupervisor,
)
from .selectors import dashboard_figures, matter_initial, profit_warnings, with_next_due


def _light(clue) -> str:
    return dict(LIGHTS).get(clue.light(timezone.localdate()), "")


class ClueListView(ObjectListView):
    capability = "supervision.view"
    model = Clue
    title = "问题线索"
    export_name = "问题线索"
    filterset_class = ClueFilterSet
    default_sort = "-received_on"
    columns = [
        Column("编号", "number", link=True),
        Column("收到日期", "received_on", sort="received_on"),
        Column("来源", "get_source_display", sort="source"),
        Column("被投诉单位", "unit"),
        Column("被反映企业或个人", "party_name"),
        Column("反映事项", "matter"),
        Column("状态", "get_status_display", sort="status"),
        Column("当前期限", "due", sort="due"),
        Column("亮灯", _light),
        Column("审核结论", "get_outcome_display"),
    ]

    def get_queryset(self):
        return with_next_due(
            Clue.objects.restrict(self.request.user, "view").select_related("unit")
        )

    def get_actions(self):
        if not has_capability(self.request.user, "supervision.manage"):
            return []
        return [
            ("登记线索", reverse("supervision:clue_add"), "bi-plus-lg"),
            ("导入12345工单", reverse("supervision:clue_import"), "bi-upload"),
        ]


class ClueCreateView(ServiceFormView):
    capability = "supervision.manage"
    form_class = ClueForm
    title = "登记问题线索"

    def initial(self):
        return {"received_on": timezone.localdate(), "source": Clue.Source.LETTER}

    def run(self, data):
        data = dict(data)
        files, shared = data.pop("files", []), data.pop("share_files", False)
        clue = services.clue_register(data=data, user=self.request.user)
        for f in files:
            services.clue_attach(
                clue=clue, name=f.name, data=f.read(), shared=shared, user=self.request.user
            )
        return clue

    def success_message(self, clue) -> str:
        text = f"线索已登记,编号 {clue.number}。"
        if services.possible_duplicates(clue):
            text += "发现同一企业、同一单位的办理中线索,研判时请核对是否重复。"
        return text


class ClueFileView(CapabilityRequiredMixin, View):
    """A clue's attachment, to whoever may see the clue: the bureau and leaders every file, the
    unit complained of (and its 司法所) only the files the bureau shared."""

    capability = "supervision.view"

    def get(self, request, pk):
        clues = Clue.objects.restrict(request.user, "view")
        files = ClueAttachment.objects.filter(pk=pk, clue__in=clues)
        if not request.user.role_codes & {Role.SUPERVISOR, Role.LEADER}:
            files = files.filter(shared=True)
        attachment = files.first()
        if attachment is None:
            raise Http404("附件不存在或不在您的权限范围内。")
        inline = attachment.content_type in INLINE_TYPES
        return serve_file(
            attachment.file,
            content_type=attachment.content_type,
            inline=inline,
            filename=attachment.original_name,
        )


class ClueImportView(ImportView):
    importer_class = imports.HotlineImporter
    success_url = "supervision:clue_list"


class ClueDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "supervision.view"
    model = Clue
    template_name = "supervision/clue_detail.html"

    def context(self, clue):
        user = self.request.user
        supervisor = Role.SUPERVISOR in user.role_codes
        today = timezone.localdate()
        can_answer = (
            not supervisor
            and has_capability(user, "supervision.reply")
            and Clue.objects.restrict(user, "change").filter(pk=clue.pk).exists()
        )
        return {
            "supervisor": supervisor,
            "can_answer": can_answer,
            "can_extend": supervisor
            and not clue.extended_days
            and clue.status
            in {Clue.Status.ACCEPTED, Clue.Status.TRANSFERRED, Clue.Status.ANSWERED},
            "light": clue.light(today),
            "today": today,
            "events": clue.events.select_related("actor"),
            "problem_types": clue.problem_types.all(),
            "duplicates": services.possible_duplicates(clue)
            if supervisor and clue.status == Clue.Status.REGISTERED
            else [],
            "merged": clue.merged.all() if supervisor else [],
            "attachments": clue.attachments.all()
            if user.role_codes & {Role.SUPERVISOR, Role.LEADER}
            else clue.attachments.filter(shared=True),
            "matters": clue.matters.all() if supervisor else [],
            "accept_form": AcceptForm(initial={"unit": clue.unit_id}),
            "transfer_form": TransferForm(),
            "review_form": ReviewForm(),
            "extend_form": ExtendForm(),
        }

    # Every op but the unit's answer is the bureau's; the services check the role and stage again.
    ops = {
        "accept": Op(
            lambda v, c, d: services.clue_accept(clue=c, user=v.request.user, **d),
            "已受理。",
            form=AcceptForm,
        ),
        "refuse": Op(
            lambda v, c, d: services.clue_refuse(clue=c, user=v.request.user, **d),
            "已决定不予受理。",
            form=RefuseForm,
        ),
        "merge": Op(
            lambda v, c, d: services.clue_merge(clue=c, user=v.request.user, **d),
            lambda r, d: f"已并入 {d['into'].number}。",
            form=MergeForm,
        ),
        "transfer": Op(
            lambda v, c, d: services.clue_transfer(clue=c, user=v.request.user, **d),
            lambda r, d: f"已转办 {r.unit},反馈期限 {r.reply_due:%Y-%m-%d}。",
            form=TransferForm,
        ),
        "answer": Op(
            lambda v, c, d: services.clue_answer(clue=c, user=v.request.user, **d),
            "核查情况已反馈,等待监督机构审核。",
            form=AnswerForm,
            action="change",
        ),
        "review": Op(
            lambda v, c, d: services.clue_review(clue=c, user=v.request.user, **d),
            lambda r, d: "已退回单位重新核查。" if d["outcome"] == "back" else "审核结论已记录。",
            form=ReviewForm,
        ),
        "close": Op(
            lambda v, c, d: services.clue_close(clue=c, user=v.request.user, **d),
            "线索已办结。",
            form=CloseForm,
        ),
        "extend": Op(
            lambda v, c, d: services.clue_extend(clue=c, user=v.request.user, **d),
            lambda r, d: f"办结期限已延长至 {r.conclude_due:%Y-%m-%d}。",
            form=ExtendForm,
        ),
        "attach": Op(
            lambda v, c, d: [
                services.clue_attach(
                    clue=c, name=f.name, data=f.read(), shared=d["shared"], user=v.request.user
                )
                for f in d["files"]
            ],
            lambda r, d: f"已上传 {len(r)} 个附件。",
            form=AttachForm,
        ),
        "share": Op(
            lambda v, c, d: services.clue_attachment_share(
                attachment=get_object_or_404(c.attachments, pk=d["attachment"]),
                shared=d["shared"],
                user=v.request.user,
            ),
            lambda r, d: "已转交被投诉单位。" if d["shared"] else "已取消转交。",
            form=ShareForm,
        ),
        "contact": Op(
            lambda v, c, d: services.clue_contact(clue=c, user=v.request.user),
            lambda r, d: f"投诉人联系方式:{r or '未留'}(本次查看已记入审计日志)",
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        # Units answer (supervision.reply); everything else needs supervision.manage.
        if request.method == "POST" and request.POST.get("op") == "answer":
            self.post_capability = "supervision.reply"
        else:
            self.post_capability = "supervision.manage"
        return super().dispatch(request, *args, **kwargs)


# -- matters ------------------------------------------------------------------------------------
class MatterListView(ObjectListView):
    capability = "supervision.matters"
    model = Matter
    title = "监督事项"
    export_name = "监督事项"
    default_sort = "-opened_on"
    columns = [
        Column("编号", "number", link=True),
        Column("名称", "title"),
        Column("监督方式", "get_kind_display", sort="kind"),
        Column("监督对象", lambda m: "、".join(u.short_name for u in m.units.all())),
        Column("来由", "get_origin_display"),
        Column("立项日期", "opened_on", sort="opened_on"),
        Column("文书", lambda m: m.documents.count()),
        Column("状态", "get_status_display", sort="status"),
    ]

    def get_queryset(self):
        return Matter.objects.restrict(self.request.user, "view").prefetch_related("units")

    def get_actions(self):
        if not has_capability(self.request.user, "supervision.manage"):
            return []
        return [("监督立项", reverse("supervision:matter_add"), "bi-plus-lg")]


class MatterCreateView(ServiceFormView):
    capability = "supervision.manage"
    form_class = MatterForm
    title = "监督立项"
    success_message = "监督事项已立项。"

    def initial(self):
        return matter_initial(self.request)

    def run(self, data):
        fields = {
            k: data[k] for k in ("kind", "title", "theme", "findings", "origin", "origin_note")
        }
        return services.matter_open(
            data=fields,
            units=list(data["units"]),
            problem_types=list(data["problem_types"]) or None,
            clue=data.get("clue"),
            user=self.request.user,
        )


class MatterDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "supervision.matters"
    post_capability = "supervision.manage"
    model = Matter
    template_name = "supervision/matter_detail.html"

    def context(self, matter):
        today = timezone.localdate()
        documents = [
            (d, d.light(today))
            for d in matter.documents.select_related("unit").order_by("issued_on", "pk")
        ]
        return {
            "supervisor": Role.SUPERVISOR in self.request.user.role_codes,
            "units": matter.units.all(),
            "problem_types": matter.problem_types.all(),
            "documents": documents,
        }

    ops = {
        "close": Op(
            lambda v, m, d: services.matter_close(matter=m, user=v.request.user, **d),
            "监督事项已办结。",
            form=MatterCloseForm,
        ),
    }


# -- documents ----------------------------------------------------------------------------------
def _document_light(document) -> str:
    return dict(LIGHTS).get(document.light(timezone.localdate()), "")


class DocumentListView(ObjectListView):
    capability = "supervision.view"
    model = Document
    title = "监督文书"
    export_name = "监督文书"
    filterset_class = DocumentFilterSet
    default_sort = "-issued_on"
    columns = [
        Column("文号", "number", link=True),
        Column("文书类型", "get_kind_display", sort="kind"),
        Column("主送单位", "unit"),
        Column("发文日期", "issued_on", sort="issued_on"),
        Column("回复期限", "reply_due", sort="reply_due"),
        Column("状态", "get_status_display", sort="status"),
        Column("亮灯", _document_light),
        Column("监督事项", "matter.number"),
    ]

    def get_queryset(self):
        return Document.objects.restrict(self.request.user, "view").select_related("unit", "matter")

    def get_actions(self):
        if not has_capability(self.request.user, "supervision.manage"):
            return []
        return [
            ("签发文书或登记外来建议", reverse("supervision:document_add"), "bi-plus-lg"),
            (
                "待升级处理",
                reverse("supervision:document_list") + "?to_escalate=on",
                "bi-exclamation-triangle",
            ),
        ]


class DocumentCreateView(ServiceFormView):
    """签发 a document on a matter (?matter=), or the next step after one (?parent=)."""

    capability = "supervision.manage"
    form_class = DocumentForm
    title = "签发监督文书"

    def dispatch(self, request, *args, **kwargs):
        self.parent = self.matter = None
        if request.user.is_authenticated and has_capability(request.user, self.capability):
            documents = Document.objects.restrict(request.user, "change")
            matters = Matter.objects.restrict(request.user, "change")
            if (parent_id := id_param(request, "parent")) is not None:
                self.parent = get_object_or_404(documents, pk=parent_id)
                self.matter = self.parent.matter
            elif (matter_id := id_param(request, "matter")) is not None:
                self.matter = get_object_or_404(matters, pk=matter_id)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        kinds = (
            services.escalation_options(self.parent)
            if self.parent
            else [k for k in Document.Kind.values if k not in services.NEEDS_PARENT]
        )
        kwargs = {"matter": self.matter, "kinds": kinds, "user": self.request.user}
        if data is None:
            kwargs["initial"] = self.initial()
        return self.form_class(data=data, files=files, **kwargs)

    def initial(self):
        if self.matter is None:
            return {}
        if self.parent is None:
            units = list(self.matter.units.all()[:2])
            return {"facts": self.matter.findings, "unit": units[0].pk if len(units) == 1 else None}
        p = self.parent
        kind = self.request.GET.get("kind", "")
        why = (
            "整改情况经审核未通过"
            if p.status == Document.Status.RETURNED
            else f"逾期未回复(回复期限 {p.reply_due:%Y-%m-%d})"
        )
        return {
            "kind": kind if kind in services.escalation_options(p) else None,
            "unit": p.unit_id,
            "facts": f"{p.facts}\n{issuer()}于{p.issued_on:%Y年%m月%d日}向你单位发出{p.get_kind_display()}({p.number}),你单位{why}。",
            "basis": p.basis,
        }

    def render_form(self, form):
        title = "签发监督文书"
        if self.parent:
            title = f"升级处理 {self.parent}"
        elif self.matter:
            title = f"签发监督文书:{self.matter}"
        back = (
            self.matter.get_absolute_url() if self.matter else reverse("supervision:document_list")
        )
        return render(
            self.request, self.template_name, {"form": form, "title": title, "cancel_url": back}
        )

    def run(self, data):
        data = dict(data)
        matter = data.pop("matter", None) or self.matter
        return services.document_issue(
            matter=matter, parent=self.parent, user=self.request.user, **data
        )

    def success_message(self, document) -> str:
        return f"已签发{document},并通知{document.unit}。"


class DocumentDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "supervision.view"
    model = Document
    template_name = "supervision/document_detail.html"

    def context(self, document):
        user = self.request.user
        supervisor = Role.SUPERVISOR in user.role_codes
        unit_side = (
            not supervisor
            and has_capability(user, "supervision.reply")
            and Document.objects.restrict(user, "change").filter(pk=document.pk).exists()
        )
        today = timezone.localdate()
        review_limit = document.issued_on + datetime.timedelta(
            days=rule_value("supervision.document_review_request_days")
        )
        return {
            "supervisor": supervisor,
            "unit_side": unit_side,
            "can_reply": unit_side
            and document.expects_reply
            and document.status in {"issued", "returned"},
            "light": document.light(today),
            "events": document.events.select_related("actor"),
            "escalations": [
                (k, Document.Kind(k).label) for k in services.escalation_options(document)
            ]
            if supervisor
            else [],
            "can_request_review": unit_side
            and not document.review_requested_on
            and document.status not in {"accepted", "escalated", "withdrawn"}
            and today <= review_limit,
            "review_limit": review_limit,
            "verdict_form": VerdictForm(),
            "review_answer_form": ReviewAnswerForm(),
            "track_form": TrackForm(),
        }

    ops = {
        "reply": Op(
            lambda v, doc, d: services.document_reply(
                document=doc,
                reply=d["reply"],
                file_name=d["file"].name if d.get("file") else "",
                file_data=d["file"].read() if d.get("file") else b"",
                user=v.request.user,
            ),
            "回复已报送,等待监督机构审核。",
            form=ReplyForm,
            action="change",
        ),
        "request_review": Op(
            lambda v, doc, d: services.document_request_review(
                document=doc, user=v.request.user, **d
            ),
            "复查申请已提交。",
            form=ReviewRequestForm,
            action="change",
        ),
        "verdict": Op(
            lambda v, doc, d: services.document_verdict(document=doc, user=v.request.user, **d),
            lambda r, d: "已审核通过,文书办结。" if d["accept"] else "已退回单位继续整改。",
            form=VerdictForm,
        ),
        "track": Op(
            lambda v, doc, d: services.document_track(document=doc, user=v.request.user, **d),
            "已登记。",
            form=TrackForm,
        ),
        "answer_review": Op(
            lambda v, doc, d: services.document_answer_review(
                document=doc, user=v.request.user, **d
            ),
            "复查结论已作出并通知单位。",
            form=ReviewAnswerForm,
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        unit_ops = {"reply", "request_review"}
        self.post_capability = (
            "supervision.reply" if request.POST.get("op") in unit_ops else "supervision.manage"
        )
        return super().dispatch(request, *args, **kwargs)


class DocumentFileView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """The Word document (?part=docx) or the unit's reply attachment (?part=reply), read through
    the user's scope."""

    capability = "supervision.view"
    model = Document

    def get(self, request, pk):
        document = self.get_object()
        part = request.GET.get("part", "docx")
        if part == "docx":
            return docx_response(f"{document.number}.docx", document_docx(document))
        if part == "reply" and document.attachment:
            return serve_file(document.attachment, filename=document.attachment_name or "回复材料")
        raise Http404("没有这个文件。")


# -- special supervisors and contact points -----------------------------------------------------
class SpecialSupervisorListView(ObjectListView):
    capability = "supervision.matters"
    model = SpecialSupervisor
    title = "特邀行政执法监督员"
    export_name = "特邀行政执法监督员"
    columns = [
        Column("姓名", "name", link=True, sort="name"),
        Column("工作单位", "organisation"),
        Column("身份", "identity"),
        Column("专业领域", "expertise"),
        Column("聘任日期", "appointed_on", sort="appointed_on"),
        Column("任期届满", "term_end", sort="term_end"),
        Column("状态", "get_status_display", sort="status"),
        Column("反映线索", "clue_count"),
        Column("履职记录", "activity_count"),
    ]

    def get_queryset(self):
        return SpecialSupervisor.objects.annotate(
            clue_count=Count("clues", distinct=True),
            activity_count=Count("activities", distinct=True),
        ).order_by("status", "name", "pk")

    def get_actions(self):
        if not has_capability(self.request.user, "supervision.manage"):
            return []
        return [("聘任监督员", reverse("supervision:special_supervisor_add"), "bi-person-plus")]


class SpecialSupervisorFormView(ObjectFormView):
    capability = "supervision.manage"
    model = SpecialSupervisor
    form_class = SpecialSupervisorForm
    title = "特邀行政执法监督员"

    def get_object(self):
        return get_object_or_404(SpecialSupervisor, pk=self.kwargs["pk"])

    def save(self, form, obj):
        data = {k: form.cleaned_data[k] for k in form.cleaned_data}
        if obj is not None and not data.get("phone"):
            data.pop("phone", None)  # left empty: keep the number on file
        return services.special_supervisor_save(supervisor=obj, data=data, user=self.request.user)


class SpecialSupervisorDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "supervision.matters"
    post_capability = "supervision.manage"
    model = SpecialSupervisor
    template_name = "supervision/special_supervisor_detail.html"

    def get_object(self):
        return get_object_or_404(SpecialSupervisor, pk=self.kwargs["pk"])

    def context(self, supervisor):
        return {
            "supervisor_role": Role.SUPERVISOR in self.request.user.role_codes,
            "activities": supervisor.activities.select_related("clue"),
            "assessments": supervisor.assessments.all(),
            "clues": supervisor.clues.order_by("-received_on")[:20],
            "activity_form": ActivityForm(initial={"date": timezone.localdate()}),
            "assessment_form": AssessmentForm(initial={"year": timezone.localdate().year}),
        }

    ops = {
        "activity": Op(
            lambda v, s, d: services.supervisor_activity_add(
                supervisor=s, user=v.request.user, **d
            ),
            "履职记录已登记。",
            form=ActivityForm,
        ),
        "assess": Op(
            lambda v, s, d: services.supervisor_assess(supervisor=s, user=v.request.user, **d),
            "年度考核结果已登记。",
            form=AssessmentForm,
        ),
        "dismiss": Op(
            lambda v, s, d: services.special_supervisor_dismiss(
                supervisor=s, user=v.request.user, **d
            ),
            "已解聘。",
            form=DismissForm,
        ),
    }


class ContactPointListView(ObjectListView):
    capability = "supervision.matters"
    model = ContactPoint
    title = "涉企行政执法监督联系点"
    export_name = "监督联系点"
    columns = [
        Column("名称", "name", link=True, sort="name"),
        Column("类型", "get_kind_display", sort="kind"),
        Column("联络员", "liaison"),
        Column("联系电话", "phone_masked"),
        Column("联系企业", "enterprise_count"),
        Column("反映线索", "clue_count"),
        Column("设立日期", "established_on", sort="established_on"),
        Column("启用", "is_active"),
    ]

    def get_queryset(self):
        return ContactPoint.objects.annotate(
            enterprise_count=Count("enterprises", distinct=True),
            clue_count=Count("clues", distinct=True),
        ).order_by("-is_active", "name")

    def get_actions(self):
        if not has_capability(self.request.user, "supervision.manage"):
            return []
        return [("设立联系点", reverse("supervision:contact_point_add"), "bi-plus-lg")]


class ContactPointFormView(ObjectFormView):
    capability = "supervision.manage"
    model = ContactPoint
    form_class = ContactPointForm
    title = "涉企行政执法监督联系点"

    def get_object(self):
        return get_object_or_404(ContactPoint, pk=self.kwargs["pk"])

    def save(self, form, obj):
        data = dict(form.cleaned_data)
        if obj is not None and not data.get("phone"):
            data.pop("phone", None)
        return services.contact_point_save(point=obj, data=data, user=self.request.user)

    def success_url(self, obj):
        return reverse("supervision:contact_point_list")


class SupervisorClueView(ServiceFormView):
    """A special supervisor reports a problem and follows what they reported."""

    capability = "supervision.submit"
    form_class = SupervisorClueForm
    template_name = "supervision/supervisor_clues.html"
    title = "反映问题"

    def render_form(self, form):
        mine = (
            Clue.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .order_by("-received_on", "-pk")
        )
        return render(
            self.request, self.template_name, {"form": form, "title": self.title, "clues": mine}
        )

    def run(self, data):
        return services.clue_submit_by_supervisor(data=data, user=self.request.user)

    def success_message(self, clue) -> str:
        return f"已提交,编号 {clue.number}。区司法局将在 5 个工作日内研判。"

    def success_url(self, clue) -> str:
        return reverse("supervision:supervisor_clues")


class DashboardView(CapabilityRequiredMixin, View):
    """行政执法监督 at a glance for one year (?year=), each figure and chart linked to its records."""

    capability = "supervision.matters"

    def get(self, request):
        today = timezone.localdate()
        year = year_param(request, default=today.year)
        f = dashboard_figures(year, today)
        clue_list = reverse("supervision:clue_list")
        since, until = f"since={year}-01-01", f"until={year}-12-31"
        period = f"{since}&{until}"
        pie = {
            "tooltip": {"trigger": "item", "formatter": "{b}:{c} 件({d}%)"},
            "series": [
                {
                    "type": "pie",
                    "radius": ["35%", "65%"],
                    "data": [{"name": label, "value": n} for _, label, n in f["by_source"]],
                }
            ],
        }
        pie_links = {
            label: f"{clue_list}?source={code}&{period}" for code, label, _ in f["by_source"]
        }
        types = [r["problem_types__name"] for r in f["by_type"]][::-1]
        type_bar = {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 130, "right": 20, "top": 10, "bottom": 20},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "data": types},
            "series": [
                {"type": "bar", "name": "线索", "data": [r["n"] for r in f["by_type"]][::-1]}
            ],
        }
        type_links = {
            r["problem_types__name"]: f"{clue_list}?problem_type={r['problem_types']}&{period}"
            for r in f["by_type"]
        }
        units = [r["unit__short_name"] for r in f["by_unit"]][::-1]
        unit_bar = {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": ["线索", "属实"]},
            "grid": {"left": 110, "right": 20, "top": 30, "bottom": 20},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "data": units},
            "series": [
                {"type": "bar", "name": "线索", "data": [r["n"] for r in f["by_unit"]][::-1]},
                {
                    "type": "bar",
                    "name": "属实",
                    "data": [r["substantiated"] for r in f["by_unit"]][::-1],
                },
            ],
        }
        unit_links = {
            r["unit__short_name"]: f"{clue_list}?unit={r['unit']}&{period}" for r in f["by_unit"]
        }
        month_names = [f"{m}月" for m in range(1, 13)]
        trend = {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": ["收到线索", "发出文书"]},
            "grid": {"left": 40, "right": 20, "top": 30, "bottom": 30},
            "xAxis": {"type": "category", "data": month_names},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {"type": "line", "name": "收到线索", "data": f["months"]},
                {"type": "line", "name": "发出文书", "data": f["doc_months"]},
            ],
        }
        trend_links = {
            name: f"{clue_list}?since={year}-{m:02d}-01&until={year}-{m:02d}-{calendar.monthrange(year, m)[1]}"
            for m, name in enumerate(month_names, start=1)
        }
        return render(
            request,
            "supervision/dashboard.html",
            {
                "year": year,
                "today": today,
                "f": f,
                "profit": [
                    (
                        w,
                        f"{reverse('cases:case_list')}?unit={w.unit_id}&since={w.since}&until={w.until}",
                    )
                    for w in profit_warnings(year)
                ],
                "period": period,
                "charts": [
                    ("线索来源", pie, pie_links, 300),
                    ("问题类型", type_bar, type_links, max(260, 26 * len(types))),
                    ("被投诉单位(线索与属实)", unit_bar, unit_links, max(260, 26 * len(units))),
                    ("逐月趋势", trend, trend_links, 300),
                ],
            },
        )


class ProblemTypeListView(ObjectListView):
    capability = "supervision.matters"
    model = ProblemType
    title = "问题类型"
    export_name = "问题类型"
    columns = [
        Column("名称", "name", link=True),
        Column("代码", "code"),
        Column("说明", "description"),
        Column("排序", "sort_order", sort="sort_order"),
        Column("启用", "is_active"),
        Column("线索", "clue_count"),
    ]

    def get_queryset(self):
        return ProblemType.objects.annotate(clue_count=Count("clue")).order_by("sort_order", "pk")

    def get_actions(self):
        if not has_capability(self.request.user, "supervision.manage"):
            return []
        return [("新增问题类型", reverse("supervision:problem_type_add"), "bi-plus-lg")]


class ProblemTypeFormView(ObjectFormView):
    capability = "supervision.manage"
    model = ProblemType
    form_class = ProblemTypeForm
    title = "问题类型"

    def get_object(self):
        return get_object_or_404(ProblemType, pk=self.kwargs["pk"])

    def save(self, form, obj):
        return services.problem_type_save(
            problem_type=obj, data=form.cleaned_data, user=self.request.user
        )

    def success_url(self, obj):
        return reverse("supervision:problem_type_list")


# -- special rectification ----------------------------------------------------------------------
class CampaignListView(ObjectListView):
    capability = "supervision.view"
    model = Campaign
    title = "专项整治"
    export_name = "专项整治"
    columns = [
        Column("名称", "title", link=True),
        Column("开始日期", "started_on", sort="started_on"),
        Column("问题", "problem_count"),
        Column("已销号", "closed_count"),
        Column("状态", "get_status_display"),
    ]

    def get_queryset(self):
        return (
            Campaign.objects.restrict(self.request.user, "view")
            .annotate(
                problem_count=Count("problems", distinct=True),
                closed_count=Count("problems", filter=Q(problems__status="closed"), distinct=True),
            )
            .order_by("-started_on", "-pk")
        )

    def get_actions(self):
        if not has_capability(self.request.user, "supervision.manage"):
            return []
        return [("部署专项整治", reverse("supervision:campaign_add"), "bi-plus-lg")]


class CampaignCreateView(ServiceFormView):
    capability = "supervision.manage"
    form_class = CampaignForm
    title = "部署专项整治"
    success_message = "专项整治已部署。"

    def run(self, data):
        phases = [
            {"due": data[k]}
            for k in ("self_check_due", "rectify_due", "inspect_due", "summary_due")
        ]
        return services.campaign_start(
            title=data["title"], themes=data["themes"], units=list(data["units"]), phases=phases,
            started_on=data["started_on"], user=self.request.user,
        )  # fmt: skip


class CampaignDetailView(ObjectActionMixin, ObjectDetailView):
    """The campaign: its phases, the problem list and ledger (Excel: ?export=xlsx), the report."""

    capability = "supervision.view"
    model = Campaign
    template_name = "supervision/campaign_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.post_capability = (
            "supervision.manage" if request.POST.get("op") == "close" else "supervision.reply"
        )
        if Role.SUPERVISOR in getattr(request.user, "role_codes", ()):
            self.post_capability = "supervision.manage"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        campaign = self.get_object()
        problems = (
            Problem.objects.restrict(request.user, "view")
            .filter(campaign=campaign)
            .select_related("unit", "problem_type")
        )
        if request.GET.get("export") == "xlsx":
            from oversight.core.excel import workbook_bytes, xlsx_response

            rows = (
                [p.unit.short_name, p.problem_type or "", p.get_source_display(), p.source_note, p.description, p.deadline,
                 p.measures, p.responsible, p.evidence, p.refund_amount, p.accountability, p.get_status_display(), p.closed_on, p.follow_up_note]
                for p in problems
            )  # fmt: skip
            header = [
                "单位",
                "问题类型",
                "来源",
                "来源说明",
                "问题",
                "整改时限",
                "整改措施",
                "责任人",
                "整改佐证",
                "退还金额",
                "追责问责",
                "状态",
                "销号日期",
                "回访情况",
            ]
            return xlsx_response(
                f"{campaign.title}整改台账.xlsx", workbook_bytes([("整改台账", header, rows)])
            )
        if request.GET.get("format") == "docx" and has_capability(
            request.user, "supervision.manage"
        ):
            return docx_response(f"{campaign.title}情况报告.docx", campaign_docx(campaign))
        return super().get(request, *args, **kwargs)

    def context(self, campaign):
        today = timezone.localdate()
        problems = (
            Problem.objects.restrict(self.request.user, "view")
            .filter(campaign=campaign)
            .select_related("unit", "problem_type")
        )
        return {
            "problems": [(p, p.light(today)) for p in problems],
            "supervisor": Role.SUPERVISOR in self.request.user.role_codes,
            "unit_user": has_capability(self.request.user, "supervision.reply"),
            "problem_form": ProblemForm(campaign=campaign, initial={"deadline": today}),
            "today": today,
        }

    ops = {
        "add_problem": Op(
            lambda v, c, d: services.problem_add(campaign=c, data=d, user=v.request.user),
            "问题已列入问题清单。",
            form=ProblemForm,
            form_kwargs=lambda v, c: {"campaign": c},
        ),
        "close": Op(
            lambda v, c, d: services.campaign_close(campaign=c, user=v.request.user, **d),
            "专项整治已总结。",
            form=CampaignCloseForm,
        ),
    }


class ProblemDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "supervision.view"
    model = Problem
    template_name = "supervision/problem_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.post_capability = (
            "supervision.reply" if request.POST.get("op") == "report" else "supervision.manage"
        )
        return super().dispatch(request, *args, **kwargs)

    def context(self, problem):
        user = self.request.user
        return {
            "supervisor": Role.SUPERVISOR in user.role_codes,
            "can_report": has_capability(user, "supervision.reply")
            and Problem.objects.restrict(user, "change").filter(pk=problem.pk).exists()
            and problem.status in {"open", "returned"},
            "light": problem.light(timezone.localdate()),
            "report_form": ProblemReportForm(),
            "close_form": ProblemCloseForm(),
        }

    ops = {
        "report": Op(
            lambda v, p, d: services.problem_report(problem=p, user=v.request.user, **d),
            "整改情况已报送,等待区司法局审核销号。",
            form=ProblemReportForm,
            action="change",
        ),
        "close": Op(
            lambda v, p, d: services.problem_close(problem=p, user=v.request.user, **d),
            lambda r, d: "已销号。" if d["approve"] else "已退回整改。",
            form=ProblemCloseForm,
        ),
        "follow_up": Op(
            lambda v, p, d: services.problem_follow_up(problem=p, user=v.request.user, **d),
            "回访情况已记录。",
            form=FollowUpForm,
        ),
    }
