from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from oversight.core.excel import workbook_bytes, xlsx_response
from oversight.core.notifications import post_webhook
from oversight.core.roles import has_capability
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ImportView,
    ObjectDeleteView,
    ObjectFormView,
    ObjectListView,
    ScopedObjectMixin,
)

from . import services
from .filtersets import RobotPostFilterSet, UnitFilterSet
from .forms import UnitForm, UnitGroupForm, WebhookTargetForm
from .imports import UnitImporter
from .models import RobotPost, Unit, UnitGroup, UnitKind, WebhookTarget
from .selectors import group_list, group_members, unit_list


def _aliases(unit: Unit) -> str:
    return "、".join(a.name for a in unit.aliases.all())


class UnitListView(ObjectListView):
    capability = "units.view"
    model = Unit
    title = "单位管理"
    filterset_class = UnitFilterSet
    export_name = "单位"
    default_sort = "sort_order"
    template_name = "organisations/unit_list.html"
    columns = [
        Column("简称", "short_name", sort="short_name", link=True),
        Column("单位全称", "name", sort="name"),
        Column("单位类别", "get_kind_display", sort="kind"),
        Column("上级单位", "parent.short_name"),
        Column("别名", _aliases),
        Column("行政执法部门", "is_enforcement", sort="is_enforcement"),
        Column("排序", "sort_order", sort="sort_order"),
        Column("启用", "is_active", sort="is_active"),
        Column("演示数据", "is_demo"),
    ]

    def get_queryset(self):
        return unit_list(user=self.request.user)

    def get_actions(self):
        if has_capability(self.request.user, "units.manage"):
            return [
                ("新增单位", reverse("organisations:unit_add"), "bi-plus-lg"),
                ("Excel 导入", reverse("organisations:unit_import"), "bi-upload"),
            ]
        return []

    def export(self, qs):
        content = workbook_bytes(
            [
                (
                    "单位",
                    UnitImporter.headers_of(),
                    services.unit_export_rows(qs.select_related("parent")),
                )
            ]
        )
        return xlsx_response("单位.xlsx", content)


class UnitDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "units.view"
    model = Unit

    def get(self, request, pk):
        unit = self.get_object()
        children = Unit.objects.restrict(request.user, "view").filter(parent=unit)
        groups = [
            g for g in UnitGroup.objects.all() if group_members(g).filter(pk=unit.pk).exists()
        ]
        can_edit = Unit.objects.restrict(request.user, "change").filter(pk=unit.pk).exists()
        return render(
            request,
            "organisations/unit_detail.html",
            {
                "unit": unit,
                "children": children,
                "groups": groups,
                "can_edit": can_edit,
                # A group's page is for those who may read groups: a name, not a 403, for others.
                "groups_linked": has_capability(request.user, "groups.view"),
            },
        )


class UnitFormView(ObjectFormView):
    """The system administrator edits everything; a unit's own staff edit its contact details."""

    capability = "units.view"
    model = Unit
    form_class = UnitForm

    def mode(self) -> str:
        user = self.request.user
        if has_capability(user, "units.manage"):
            return "full"
        if has_capability(user, "units.reparent"):
            return "parent"
        return "contact"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and "pk" not in kwargs:
            self.capability = "units.manage"
        elif request.user.is_authenticated:
            self.capability = {
                "full": "units.manage",
                "parent": "units.reparent",
                "contact": "units.edit_contact",
            }[self.mode()]
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, obj, data=None, files=None):
        return UnitForm(data=data, instance=obj, user=self.request.user, mode=self.mode())

    def save(self, form, obj):
        data = {k: v for k, v in form.cleaned_data.items() if k != "aliases"}
        aliases = form.cleaned_data.get("aliases")
        if obj is None:
            return services.unit_create(data=data, aliases=aliases, user=self.request.user)
        return services.unit_update(unit=obj, data=data, aliases=aliases, user=self.request.user)

    def success_url(self, obj):
        return reverse("organisations:unit_detail", args=[obj.pk])


class UnitDeleteView(ObjectDeleteView):
    capability = "units.manage"
    model = Unit

    def delete(self, unit):
        services.unit_delete(unit=unit, user=self.request.user)

    def success_url(self, unit) -> str:
        return reverse("organisations:unit_list")


class UnitImportView(ImportView):
    importer_class = UnitImporter
    success_url = "organisations:unit_list"


class UnitTemplateView(CapabilityRequiredMixin, View):
    capability = "units.manage"

    def get(self, request):
        return xlsx_response("单位导入模板.xlsx", UnitImporter.template_bytes())


def _members(group: UnitGroup) -> str:
    units = list(group_members(group))
    head = "、".join(u.short_name for u in units[:6])
    return f"{len(units)} 个:{head}{'…' if len(units) > 6 else ''}" if units else "0 个"


class GroupListView(ObjectListView):
    capability = "groups.view"
    model = UnitGroup
    title = "单位组"
    export_name = "单位组"
    default_sort = "sort_order"
    columns = [
        Column("名称", "name", sort="name", link=True),
        Column("别名", lambda g: "、".join(g.aliases)),
        Column("成员规则", "get_rule_display"),
        Column("当前成员", _members),
        Column("说明", "description"),
    ]

    def get_queryset(self):
        return group_list(user=self.request.user)

    def get_actions(self):
        if has_capability(self.request.user, "units.manage"):
            return [("新增单位组", reverse("organisations:group_add"), "bi-plus-lg")]
        return []


class GroupDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "groups.view"
    model = UnitGroup

    def get(self, request, pk):
        group = self.get_object()
        return render(
            request,
            "organisations/group_detail.html",
            {
                "group": group,
                "members": group_members(group).select_related("parent"),
                # Members outside the user's scope are listed by name, without a link to a 404.
                "visible_ids": set(
                    Unit.objects.restrict(request.user, "view").values_list("pk", flat=True)
                ),
                "kind_labels": [UnitKind(k).label for k in group.kinds if k in UnitKind.values],
                "can_edit": has_capability(request.user, "units.manage"),
            },
        )


class GroupFormView(ObjectFormView):
    capability = "units.manage"
    model = UnitGroup
    form_class = UnitGroupForm

    def save(self, form, obj):
        data = dict(form.cleaned_data)
        members = list(data.pop("members", []))
        return services.group_save(group=obj, data=data, members=members, user=self.request.user)

    def success_url(self, obj):
        return reverse("organisations:group_detail", args=[obj.pk])


class GroupDeleteView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "units.manage"
    model = UnitGroup
    action = "delete"

    def post(self, request, pk):
        group = self.get_object()
        try:
            services.group_delete(group=group, user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(group.get_absolute_url())
        messages.success(request, f"已删除单位组“{group}”。")
        return redirect("organisations:group_list")


class WebhookListView(ObjectListView):
    capability = "units.webhooks"
    model = WebhookTarget
    title = "群机器人"
    export_name = "群机器人"
    columns = [
        Column("名称", "name", link=True),
        Column("类型", "get_kind_display"),
        Column("单位", lambda t: t.unit or "监督机构"),
        Column("启用", "active"),
        Column("最近发送结果", "last_status"),
    ]

    def get_queryset(self):
        # Robot endpoints are system configuration, administered by the system administrator.
        return WebhookTarget.objects.select_related("unit")

    def get_actions(self):
        return [
            ("发送记录", reverse("organisations:robot_post_list"), "bi-list-ul"),
            ("新增群机器人", reverse("organisations:webhook_add"), "bi-plus-lg"),
        ]


class RobotPostListView(ObjectListView):
    """Every message queued for a group robot: when, to which, whether it went out (a failed one
    was tried again TASK_RETRIES times), and the robot's answer."""

    capability = "units.webhooks"
    model = RobotPost
    title = "群机器人发送记录"
    filterset_class = RobotPostFilterSet
    export_name = "群机器人发送记录"
    default_sort = "-created_at"
    per_page = 50
    columns = [
        Column("生成时间", "created_at", sort="created_at"),
        Column("群机器人", "target.name", sort="target__name"),
        Column("标题", "title"),
        Column("状态", "get_status_display", sort="status"),
        Column("发送次数", "attempts"),
        Column("发送时间", "sent_at"),
        Column("结果", "result"),
    ]

    def get_queryset(self):
        # Robots are system configuration; their messages are the system administrator's to watch.
        return RobotPost.objects.select_related("target")


class WebhookFormView(ObjectFormView):
    capability = "units.webhooks"
    model = WebhookTarget
    form_class = WebhookTargetForm
    template_name = "organisations/webhook_form.html"

    def get_object(self):
        obj = WebhookTarget.objects.filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404
        return obj

    def save(self, form, obj):
        return services.webhook_save(target=obj, data=form.cleaned_data, user=self.request.user)

    def success_url(self, obj):
        return reverse("organisations:webhook_list")


class WebhookTestView(CapabilityRequiredMixin, View):
    capability = "units.webhooks"

    def post(self, request, pk):
        target = WebhookTarget.objects.filter(pk=pk).first()
        if target is None:
            raise Http404
        ok = post_webhook(target, "测试消息", f"这是来自{settings.SITE_NAME}的测试消息。")
        (messages.success if ok else messages.error)(
            request, "发送成功。" if ok else "发送失败,请检查地址和密钥。"
        )
        return redirect("organisations:webhook_list")
