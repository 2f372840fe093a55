from django.urls import reverse
from django.utils import timezone

from oversight.core.roles import Role, has_capability
from oversight.core.views import (
    Column,
    ImportView,
    ObjectActionMixin,
    ObjectDetailView,
    ObjectListView,
    Op,
    ServiceFormView,
)

from . import imports, services
from .filtersets import LIGHTS, ClueFilterSet
from .forms import (
    AcceptForm,
    AnswerForm,
    CloseForm,
    ClueForm,
    ExtendForm,
    MergeForm,
    RefuseForm,
    ReviewForm,
    TransferForm,
)
from .models import Clue
from .selectors import with_next_due


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
        return services.clue_register(data=data, user=self.request.user)

    def success_message(self, clue) -> str:
        text = f"线索已登记,编号 {clue.number}。"
        if services.possible_duplicates(clue):
            text += "发现同一企业、同一单位的办理中线索,研判时请核对是否重复。"
        return text


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
