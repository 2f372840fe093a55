from django.urls import reverse

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.roles import has_capability

register(
    MenuGroup(
        "行政执法监督",
        30,
        [
            MenuItem("监督概况", "supervision:dashboard", "supervision.matters", "bi-bar-chart"),
            MenuItem("问题线索", "supervision:clue_list", "supervision.view", "bi-megaphone"),
            MenuItem(
                "监督事项", "supervision:matter_list", "supervision.matters", "bi-folder2-open"
            ),
            MenuItem(
                "监督文书", "supervision:document_list", "supervision.view", "bi-file-earmark-text"
            ),
            MenuItem(
                "特邀监督员",
                "supervision:special_supervisor_list",
                "supervision.matters",
                "bi-person-badge",
            ),
            MenuItem(
                "监督联系点", "supervision:contact_point_list", "supervision.matters", "bi-shop"
            ),
            MenuItem("专项整治", "supervision:campaign_list", "supervision.view", "bi-flag"),
            MenuItem("问题类型", "supervision:problem_type_list", "supervision.matters", "bi-tags"),
            MenuItem(
                "反映问题",
                "supervision:supervisor_clues",
                "supervision.submit",
                "bi-chat-square-text",
            ),
        ],
    )
)


@panel
def supervision_panel(user):
    """The bureau's supervision work at a glance: clues to judge and past their limits, documents
    waiting for review or escalation."""
    if not has_capability(user, "supervision.manage"):
        return None
    from django.db.models import Count, Q
    from django.utils import timezone

    from .models import ESCALATION, Clue, Document
    from .selectors import light_q, with_next_due

    today = timezone.localdate()
    clues = with_next_due(Clue.objects.all()).aggregate(
        registered=Count("pk", filter=Q(status="registered")),
        overdue=Count("pk", filter=light_q("red", today)),
    )
    documents = Document.objects.aggregate(
        replied=Count("pk", filter=Q(status="replied")),
        to_escalate=Count(
            "pk",
            filter=Q(kind__in=list(ESCALATION))
            & (Q(status="returned") | Q(status="issued", reply_due__lt=today)),
        ),
    )
    clue_list = reverse("supervision:clue_list")
    document_list = reverse("supervision:document_list")
    return Panel(
        "行政执法监督",
        order=12,
        figures=[
            Figure("待研判线索", clues["registered"], f"{clue_list}?status=registered"),
            Figure("超期线索", clues["overdue"], f"{clue_list}?light=red", "danger"),
            Figure("待审核回复", documents["replied"], f"{document_list}?status=replied", "info"),
            Figure(
                "待升级处理",
                documents["to_escalate"],
                f"{document_list}?to_escalate=on",
                "danger",
            ),
        ],
    )


@panel
def special_supervisor_panel(user):
    """A special supervisor's own clues and their progress."""
    if not has_capability(user, "supervision.submit"):
        return None
    from .models import Clue

    mine = Clue.objects.restrict(user, "view").order_by("-received_on", "-pk")
    url = reverse("supervision:supervisor_clues")
    return Panel(
        "我反映的问题",
        order=10,
        figures=[
            Figure("已反映", mine.count(), url),
            Figure("办理中", sum(1 for c in mine if c.is_open), url, "warning"),
        ],
        rows=[(c.number, c.public_stage, url) for c in mine[:6]],
        note="" if mine else "发现行政执法中的问题,可点击“反映问题”提交。",
    )
