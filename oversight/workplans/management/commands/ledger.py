import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from oversight.workplans.ledger import ledger_json
from oversight.workplans.models import Assignment, Plan
from oversight.workplans.services.lights import lights_due


class Command(BaseCommand):
    help = "输出工作台账:每个任务分工一行 JSON(计划、任务序号与名称、单位、是否牵头、状态、亮灯、下一截止日期、最近报告状态)。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="工作计划编号;不指定时输出全部计划")
        parser.add_argument("--json", action="store_true", help="JSON Lines 格式(默认即是)")

    def handle(self, *args, plan=None, **options):
        # A command run by the administrator of the server: the whole district, no user scope.
        qs = Assignment.objects.exclude(status=Assignment.Status.HANDED_BACK)
        if plan is not None:
            if not Plan.objects.filter(pk=plan).exists():
                raise CommandError(f"工作计划 {plan} 不存在。")
            qs = qs.filter(plan_id=plan)
        today = timezone.localdate()
        lights_due(today=today, within=Q(pk__in=qs.values("pk")))
        qs = qs.order_by(
            "task__plan", "task__kind", "task__order", "-is_lead", "unit__sort_order", "pk"
        )
        for row in ledger_json(qs):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
