"""Public disclosure pages (行政执法公示): no login; only what may be published, never personal data
beyond name, unit, certificate number and areas."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from oversight.enforcement.models import CleanupCampaign, CleanupItem, EnforcementSubject
from oversight.enforcement.selectors import public_officers
from oversight.inspections.models import Draw, DrawTarget


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
