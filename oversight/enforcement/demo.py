"""Demo data for enforcement subjects, officers, certificates and training (all marked 演示数据).

Officers get valid-looking but invented ID numbers (下陆区 region code, correct check digit);
certificates expire at various times so that reminders, the clean-up and the dashboard have
something to show; the bureau's public-law course and the units' own training give a mix of
compliant and short hours.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from oversight.core.identifiers import _ID_CHECK, _ID_WEIGHTS
from oversight.organisations.models import Unit

from . import services
from .models import Attendance, EnforcementSubject, Officer

SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "军",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "强",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "海燕",
    "晓东",
    "文博",
    "子涵",
]
AREAS = {
    "区市场监管局": "市场监管", "区城管执法局": "城市管理", "区公安分局": "治安管理", "区应急管理局": "安全生产",
    "区卫健局": "卫生健康", "区交通运输局": "交通运输", "区住建局": "住房城乡建设", "区生态环境分局": "生态环境",
    "区人社局": "劳动保障", "区发改局": "价格监督", "区财政局": "财政监督", "区审计局": "审计监督", "区司法局": "司法行政",
}  # fmt: skip


def _id_number(rng: random.Random, seq: int) -> str:
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 30))
    body = f"420204{birth:%Y%m%d}{seq % 1000:03d}"
    return body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


@transaction.atomic
def load_demo_enforcement(today: datetime.date | None = None) -> bool:
    if Officer.objects.filter(is_demo=True).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(20240)
    supervisor = get_user_model().objects.filter(username="jiandu").first()
    units = list(
        Unit.objects.filter(
            is_enforcement=True, is_active=True, kind__in=["department", "subdistrict", "park"]
        ).order_by("sort_order")
    )
    for unit in units:
        subject = EnforcementSubject.objects.filter(unit=unit).first() or services.subject_save(
            subject=None,
            data={
                "unit": unit,
                "name": unit.name,
                "legal_status": "agency" if unit.kind == "department" else "authorised",
                "legal_basis": "《中华人民共和国行政处罚法》及本部门“三定”规定"
                if unit.kind == "department"
                else "《湖北省街道赋权事项指导清单》赋予的执法事项",
                "enforcement_types": ["penalty", "inspection", "coercion"]
                if unit.kind == "department"
                else ["penalty", "inspection"],
            },
        )
        EnforcementSubject.objects.filter(pk=subject.pk).update(is_demo=True)
    services.subjects_confirm(
        announcement_date=today - datetime.timedelta(days=200), user=supervisor
    )

    seq = 0
    bureau = Unit.objects.filter(short_name="区司法局").first()
    public_courses = []
    if bureau:
        for month, title in ((4, "公共法律知识培训(第一期)"), (9, "公共法律知识培训(第二期)")):
            start = datetime.date(today.year, month, 12)
            if start <= today:
                public_courses.append(
                    services.course_save(
                        course=None,
                        data={
                            "title": f"{today.year}年度{title}",
                            "category": "public_law",
                            "unit": bureau,
                            "start_date": start,
                            "end_date": start + datetime.timedelta(days=1),
                            "hours": Decimal(10),
                            "is_demo": True,
                        },
                    )
                )
    officer_account = get_user_model().objects.filter(username="zhifa").first()
    for unit in units:
        subject = EnforcementSubject.objects.filter(unit=unit).first()
        count = 3 if unit.kind != "department" else rng.randint(4, 7)
        area = AREAS.get(unit.short_name, "综合行政执法")
        own_courses = [
            services.course_save(
                course=None,
                data={
                    "title": f"{unit.short_name}{area}业务培训",
                    "category": "business",
                    "unit": unit,
                    "start_date": datetime.date(today.year, 5, 20),
                    "end_date": datetime.date(today.year, 5, 22),
                    "hours": Decimal(24),
                    "is_demo": True,
                },
            ),
            services.course_save(
                course=None,
                data={
                    "title": f"{unit.short_name}执法技能实训",
                    "category": "skills",
                    "unit": unit,
                    "start_date": datetime.date(today.year, 8, 8),
                    "end_date": datetime.date(today.year, 8, 9),
                    "hours": Decimal(16),
                    "is_demo": True,
                },
            ),
        ]
        for i in range(count):
            seq += 1
            status = "on_duty"
            employment = "formal"
            if seq % 17 == 0:
                status = "retired"
            if seq % 13 == 0:
                employment = "non_formal"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            user = (
                officer_account
                if officer_account and unit.pk == officer_account.primary_unit_id and i == 0
                else None
            )
            officer = services.officer_create(
                data={"unit": unit, "subject": subject, "name": name, "post": "执法队员" if i else "执法队长", "phone": f"139{rng.randint(10000000, 99999999)}",
                      "employment": employment, "legal_qualification": i % 4 == 0, "status": status, "user": user, "is_demo": True},
                id_number=_id_number(rng, seq),
            )  # fmt: skip
            issue = today - datetime.timedelta(days=rng.randint(200, 1600))
            if seq % 11 == 0:
                expiry = today + datetime.timedelta(days=rng.randint(5, 28))
            elif seq % 7 == 0:
                expiry = today + datetime.timedelta(days=rng.randint(35, 85))
            elif seq % 19 == 0:
                expiry = today - datetime.timedelta(days=rng.randint(5, 60))
            else:
                expiry = issue + datetime.timedelta(days=5 * 365)
                if expiry < today:
                    expiry = today + datetime.timedelta(days=rng.randint(200, 1200))
            cert = services.certificate_issue(
                officer=officer,
                data={
                    "number": f"42020424{seq:05d}",
                    "kind": "enforcement",
                    "areas": area,
                    "issuing_authority": "黄石市人民政府",
                    "issue_date": issue,
                    "expiry_date": expiry,
                },
            )
            if seq == 5:
                services.certificate_change(
                    certificate=cert,
                    action="suspend",
                    reason="执法过程中未出示证件,经核查属实(演示数据)",
                    until=today + datetime.timedelta(days=60),
                    user=supervisor,
                )
            if status != "on_duty":
                continue
            # Training: most attend everything; some miss the bureau's second session or skills.
            for course in public_courses:
                if not (seq % 5 == 0 and course is public_courses[-1]):
                    Attendance.objects.create(course=course, officer=officer, hours=course.hours)
            for course in own_courses:
                if not (seq % 6 == 0 and course.category == "skills"):
                    Attendance.objects.create(course=course, officer=officer, hours=course.hours)
        if unit.pk % 3 != 0:
            services.training_plan_file(
                unit=unit,
                year=today.year,
                content=f"{today.year}年{unit.short_name}执法人员培训计划:公共法律知识 20 学时(参加区司法局组织)、{area}业务知识 24 学时、执法技能 16 学时(演示数据)。",
                planned_hours=60,
            )
    return True
