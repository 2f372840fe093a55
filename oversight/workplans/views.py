from django.shortcuts import render
from django.urls import reverse
from django.views import View

from oversight.core.roles import has_capability
from oversight.core.views import CapabilityRequiredMixin, Column, ObjectListView, ScopedObjectMixin

from .models import Plan, Task
from .selectors import plan_list, task_list, tasks_by_section


class PlanListView(ObjectListView):
    capability = "plans.view"
    model = Plan
    title = "工作计划"
    default_sort = "-created_at"
    export_name = "工作计划"
    columns = [
        Column("计划", "title", sort="title", link=True),
        Column("年度", "year", sort="year"),
        Column("任务数", "task_count"),
        Column("长期任务", "standing_count"),
        Column("状态", "get_status_display", sort="status"),
        Column("创建时间", "created_at", sort="created_at"),
    ]

    def get_queryset(self):
        return plan_list(user=self.request.user)

    def get_actions(self):
        if has_capability(self.request.user, "notices.import"):
            return [("导入通知", reverse("notices:draft_new"), "bi-upload")]
        return []


class PlanDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.view"
    model = Plan

    def get(self, request, pk):
        plan = self.get_object()
        tasks = list(task_list(user=request.user, plan=plan))
        table = [t for t in tasks if t.kind == Task.Kind.TABLE]
        body = [t for t in tasks if t.kind == Task.Kind.BODY]
        return render(
            request,
            "workplans/plan_detail.html",
            {
                "plan": plan,
                "notice": plan.notice,
                "parts": tasks_by_section(table),
                "table_count": len(table),
                "body": body,
            },
        )


class TaskDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.view"
    model = Task

    def get(self, request, pk):
        task = self.get_object()
        task = task_list(user=request.user).get(pk=task.pk)
        notice = task.plan.notice
        lines = notice.source_text.split("\n") if notice else []
        refs = sorted({n for numbers in task.source_lines.values() for n in numbers})
        excerpt = [(n, lines[n - 1]) for n in refs if 0 < n <= len(lines)]
        return render(request, "workplans/task_detail.html", {"task": task, "excerpt": excerpt})
