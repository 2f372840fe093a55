"""Items delegated to sub-districts (赋权事项) and their periodic evaluation (《行政处罚法》第24条):
the bureau records what was delegated; an evaluation round sends each 街办 a form per delegated
item with what the platform knows (cases, breaches, certified officers, flags); the 街办 answers,
the delegating department gives its view, the bureau concludes keep / adjust / take back, and a
take-back becomes an adjustment of the 街办's catalogue."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.roles import Role
from oversight.core.rules import rule_value
from oversight.organisations.models import Unit, UnitKind

from . import services
from .models import Adjustment, CatalogItem, Delegation, DelegationForm, DelegationReview

ANSWER_FIELDS = ("need", "use", "capacity", "safety", "problems")


def _bureau(user) -> None:
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有区司法局可以办理此事项。")


@transaction.atomic
def delegation_create(
    *, item: CatalogItem, subdistrict: Unit, document: str, delegated_on: datetime.date, user=None
) -> Delegation:
    require_actor(user)
    _bureau(user)
    if subdistrict.kind != UnitKind.SUBDISTRICT:
        raise ValidationError({"subdistrict": "承接单位应为街道(街办)。"})
    if services.current_version(item, delegated_on) is None:
        raise ValidationError({"item": f"事项 {item.code} 在赋权日期不在{item.unit}有效的清单中。"})
    if Delegation.objects.filter(
        item=item, subdistrict=subdistrict, status=Delegation.Status.ACTIVE
    ).exists():
        raise ValidationError("该事项已赋权给该街办。")
    if len(document.strip()) < 2:
        raise ValidationError({"document": "请写明赋权文件(名称和文号)。"})
    delegation = Delegation.objects.create(
        item=item, subdistrict=subdistrict, document=document.strip(), delegated_on=delegated_on
    )
    audit.record(action="create", obj=delegation, after=audit.snapshot(delegation))
    return delegation


def delegation_figures(
    delegation: Delegation, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """What the platform knows of a delegation over a period: the 街办's cases under the item (its
    own catalogue's item with the same code), those with breaches, its certified officers."""
    from oversight.enforcement.models import Certificate

    own = CatalogItem.objects.filter(unit=delegation.subdistrict, code=delegation.item.code).first()
    cases = own.cases.filter(filed_on__gte=start, filed_on__lte=end) if own else None
    count = cases.count() if cases is not None else 0
    breaches = cases.filter(light="red").count() if cases is not None else 0
    officers = (
        Certificate.objects.filter(
            officer__unit=delegation.subdistrict, kind="enforcement", status="valid",
            issue_date__lte=end, expiry_date__gte=end,
        ).values("officer").distinct().count()
    )  # fmt: skip
    flags = []
    if count == 0:
        flags.append("评估期间未实施")
    if breaches >= rule_value("catalogue.delegation_breaches"):
        flags.append(f"违规案件 {breaches} 件,较多")
    least = rule_value("cases.min_officers")  # 《行政处罚法》第42条: two officers per act
    if officers < least:
        flags.append(f"持证执法人员不足{'两' if least == 2 else least}人")
    return {"cases": count, "breaches": breaches, "officers": officers, "flags": flags}


@transaction.atomic
def review_start(
    *,
    title: str,
    period_from: datetime.date,
    period_to: datetime.date,
    due: datetime.date,
    user=None,
) -> DelegationReview:
    """Open an evaluation round: a form for every delegation in force, filled with the figures."""
    require_actor(user)
    _bureau(user)
    if period_from > period_to:
        raise ValidationError({"period_to": "评估期间止不能早于评估期间起。"})
    delegations = list(
        Delegation.objects.filter(status=Delegation.Status.ACTIVE).select_related(
            "item", "subdistrict"
        )
    )
    if not delegations:
        raise ValidationError("目前没有实施中的赋权事项。")
    review = DelegationReview.objects.create(
        title=title.strip(), period_from=period_from, period_to=period_to, due=due
    )
    for delegation in delegations:
        DelegationForm.objects.create(
            review=review,
            delegation=delegation,
            **delegation_figures(delegation, period_from, period_to),
        )
    audit.record(
        action="create", obj=review, after={"title": review.title, "forms": len(delegations)}
    )
    return review


def _form_for(form: DelegationForm, user, path: str) -> DelegationForm:
    form = (
        DelegationForm.objects.select_for_update()
        .select_related("delegation__item", "delegation__subdistrict")
        .get(pk=form.pk)
    )
    if form.review.status != DelegationReview.Status.OPEN:
        raise ValidationError("该评估已完成。")
    if user is not None:
        unit = form.delegation.subdistrict if path == "subdistrict" else form.delegation.item.unit
        if Role.SUPERVISOR not in user.role_codes and unit.pk not in user.scope_unit_ids:
            raise PermissionDenied("该评估表不由贵单位填写。")
    return form


@transaction.atomic
def form_submit(*, form: DelegationForm, data: dict[str, Any], user=None) -> DelegationForm:
    """The 街办's account of the delegated item: need, use, capacity, safety, problems."""
    require_actor(user)
    form = _form_for(form, user, "subdistrict")
    answers = {k: (data.get(k) or "").strip() for k in ANSWER_FIELDS}
    empty = [
        DelegationForm._meta.get_field(k).verbose_name for k, v in answers.items() if len(v) < 2
    ]
    if empty:
        raise ValidationError(f"请填写{'、'.join(empty)}。")
    for key, value in answers.items():
        setattr(form, key, value)
    form.submitted_at = timezone.now()
    form.save()
    audit.record(action="update", obj=form, after=answers | {"submitted": True})
    return form


@transaction.atomic
def form_department_view(*, form: DelegationForm, view: str, user=None) -> DelegationForm:
    """The delegating department's view of how the 街办 carries the item."""
    require_actor(user)
    form = _form_for(form, user, "department")
    if len(view.strip()) < 2:
        raise ValidationError({"view": "请填写部门意见。"})
    form.department_view = view.strip()
    form.viewed_at = timezone.now()
    form.save(update_fields=["department_view", "viewed_at"])
    audit.record(action="update", obj=form, after={"department_view": form.department_view})
    return form


@transaction.atomic
def form_conclude(*, form: DelegationForm, conclusion: str, note: str, user=None) -> DelegationForm:
    """The bureau's conclusion. Taking the power back ends the delegation and abolishes the item in
    the 街办's catalogue from tomorrow (an adjustment approved by this decision)."""
    require_actor(user)
    _bureau(user)
    form = _form_for(form, user, "subdistrict")
    if form.submitted_at is None:
        raise ValidationError("街办尚未提交评估表。")
    if conclusion not in DelegationForm.Conclusion.values:
        raise ValidationError({"conclusion": "请选择继续实施、调整或收回。"})
    if len(note.strip()) < 2:
        raise ValidationError({"note": "请写明结论的理由。"})
    form.conclusion = conclusion
    form.conclusion_note = note.strip()
    form.save(update_fields=["conclusion", "conclusion_note"])
    if conclusion == DelegationForm.Conclusion.TAKE_BACK:
        delegation = form.delegation
        delegation.status = Delegation.Status.TAKEN_BACK
        delegation.ended_on = timezone.localdate()
        delegation.save(update_fields=["status", "ended_on"])
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        own = CatalogItem.objects.filter(
            unit=delegation.subdistrict, code=delegation.item.code
        ).first()
        if own is not None and services.current_version(own, tomorrow) is not None:
            adjustment = services.adjustment_propose(
                unit=delegation.subdistrict, kind=Adjustment.Kind.ABOLISH, code=own.code, data={},
                reason=f"赋权事项评估结论:收回。{form.conclusion_note}", document=form.review.title,
                effective_on=tomorrow, user=user,
            )  # fmt: skip
            services.adjustment_review(
                adjustment=adjustment, approve=True, comment="依评估结论收回", user=user
            )
    audit.record(
        action="update", obj=form, after={"conclusion": conclusion, "note": form.conclusion_note}
    )
    if not form.review.forms.filter(conclusion="").exists():
        DelegationReview.objects.filter(pk=form.review_id).update(
            status=DelegationReview.Status.CONCLUDED
        )
    return form
