"""Public disclosure pages (行政执法公示): no login; only what may be published, never personal data
beyond name, unit, certificate number and areas."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from oversight.core.middleware import client_ip
from oversight.core.rules import rule_value
from oversight.core.throttle import allow
from oversight.core.views import form_errors_to_messages
from oversight.enforcement.models import CleanupCampaign, CleanupItem, EnforcementSubject
from oversight.enforcement.selectors import public_officers
from oversight.inspections.models import Draw, DrawTarget
from oversight.supervision.forms import PublicComplaintForm, QueryForm
from oversight.supervision.models import Clue
from oversight.supervision.services import clue_submit_public


@require_safe
def index(request):
    campaigns = CleanupCampaign.objects.filter(status=CleanupCampaign.Status.PUBLISHED).order_by(
        "-published_at"
    )[:5]
    draws = _published_draws()[:5]
    return render(request, "portal/index.html", {"campaigns": campaigns, "draws": draws})


def _published_draws():
    return (
        Draw.objects.filter(status=Draw.Status.PUBLISHED)
        .select_related("unit")
        .order_by("-published_on", "-pk")
    )


@require_safe
def draws(request):
    page = Paginator(_published_draws(), 30).get_page(request.GET.get("page"))
    return render(request, "portal/draws.html", {"page": page})


@require_safe
def draw(request, pk: int):
    """A published double-random draw (双随机、一公开): who was inspected, by whom, with what result.
    Officers appear by name and certificate number only."""
    found = _published_draws().filter(pk=pk).first()
    if found is None:
        raise Http404
    from oversight.enforcement.models import Officer

    officers = {
        o.pk: o
        for o in Officer.objects.filter(pk__in=found.officer_pool).prefetch_related("certificates")
    }
    rows = [
        (target, [officers[i] for i in target.officer_ids if i in officers])
        for target in DrawTarget.objects.filter(draw=found).select_related("enterprise")
    ]
    return render(request, "portal/draw.html", {"draw": found, "rows": rows})


@require_safe
def subjects(request):
    # Announced subjects only: confirmed by the bureau and in force.
    rows = (
        EnforcementSubject.objects.filter(
            status=EnforcementSubject.Status.ACTIVE, confirmed_at__isnull=False
        )
        .select_related("unit")
        .order_by("unit__sort_order", "name")
    )
    return render(request, "portal/subjects.html", {"rows": rows})


@require_safe
def officers(request):
    q = (request.GET.get("q") or "").strip()
    rows = public_officers()
    if q:
        rows = rows.filter(
            Q(officer__name__icontains=q)
            | Q(number__icontains=q)
            | Q(officer__unit__short_name__icontains=q)
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "portal/officers.html", {"page": page, "q": q})


@require_safe
def cleanup(request, pk: int):
    campaign = CleanupCampaign.objects.filter(
        pk=pk, status=CleanupCampaign.Status.PUBLISHED
    ).first()
    if campaign is None:
        raise Http404
    items = (
        CleanupItem.objects.filter(campaign=campaign, applied=True)
        .exclude(decision=CleanupItem.Decision.KEEP)
        .select_related("certificate__officer", "unit")
    )
    return render(request, "portal/cleanup.html", {"campaign": campaign, "items": items})


# -- complaints (投诉举报) ----------------------------------------------------------------------
# How often one address may file a complaint or look one up in an hour are rules: enough for a
# person, too few to flood the bureau or to guess query codes.


def _ip(request) -> str:
    """The visitor's address as the audit log records it (behind the configured proxies)."""
    return client_ip(request) or "unknown"


@require_http_methods(["GET", "POST"])
def complaint(request):
    """The public complaint form: the clue is registered for the bureau to judge; the visitor gets a
    query code to follow it."""
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            return redirect("portal:complaint_done")  # a robot: say nothing, keep nothing
        limit = rule_value("supervision.public_complaints_per_hour")
        if not allow(f"complaint:{_ip(request)}", limit=limit, window=3600):
            form.add_error(None, "提交过于频繁,请一小时后再试,或拨打 12345 热线。")
        else:
            try:
                clue = clue_submit_public(
                    data=form.cleaned_data,
                    ip=client_ip(request),
                    files=[(f.name, f.read()) for f in form.cleaned_data["files"]],
                )
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            else:
                request.session["complaint_code"] = clue.query_code
                return redirect("portal:complaint_done")
    return render(request, "portal/complaint.html", {"form": form})


@require_safe
def complaint_done(request):
    code = request.session.pop("complaint_code", "")
    return render(request, "portal/complaint_done.html", {"code": code})


@require_http_methods(["GET", "POST"])
def complaint_query(request):
    """The stage and outcome of one complaint, by its query code; nothing about anyone else's."""
    form = QueryForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        limit = rule_value("supervision.public_queries_per_hour")
        if not allow(f"complaint-query:{_ip(request)}", limit=limit, window=3600):
            form.add_error(None, "查询过于频繁,请一小时后再试。")
        else:
            found = Clue.objects.filter(
                query_code=form.cleaned_data["code"].strip().upper()
            ).first()
            if found is None:
                form.add_error("code", "没有找到这个查询码对应的投诉,请核对后重新输入。")
            elif found.merged_into_id:
                found = found.merged_into
    return render(request, "portal/complaint_query.html", {"form": form, "clue": found})


@require_safe
def catalogue(request):
    """Each unit's enforcement item catalogue in force today, and its published enterprise
    inspection items (国办发〔2024〕54号: only published items may be inspected)."""
    from oversight.catalogue.services import catalogue_as_of
    from oversight.inspections.models import InspectionItem
    from oversight.organisations.models import Unit

    today = timezone.localdate()
    units = Unit.objects.filter(is_active=True, is_enforcement=True)
    raw = request.GET.get("unit", "")
    chosen = units.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
    items = catalogue_as_of(today, [chosen] if chosen else None)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    inspection_items = (
        InspectionItem.objects.filter(unit=chosen) if chosen else InspectionItem.objects.none()
    )
    return render(
        request,
        "portal/catalogue.html",
        {
            "units": units,
            "chosen": chosen,
            "page": page,
            "inspection_items": inspection_items,
            "today": today,
        },
    )
