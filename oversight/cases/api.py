"""REST API for enforcement acts: token per unit account, scoped like the UI.

Writes go through the same services as the pages (validation, checks, audit); an object outside
the caller's scope is a 404.
"""

from django.http import Http404
from rest_framework import mixins, serializers, viewsets

from oversight.core.api import (
    CapabilityPermission,
    PlatformModelSerializer,
    ScopedPrimaryKeyRelatedField,
    call_service,
    router,
)
from oversight.enforcement.models import Officer

from . import services
from .models import Case, Finding


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["rule", "level", "message", "source", "due"]


class CaseSerializer(PlatformModelSerializer):
    officers = ScopedPrimaryKeyRelatedField(
        many=True, queryset=Officer.objects.all(), help_text="执法人员编号,至少两人"
    )
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "unit", "subject", "number", "act_type", "procedure", "party_kind", "party_name", "party_credit_code",
            "facts", "legal_basis", "benchmark", "leniency_item", "filed_on", "investigated_on", "notified_on",
            "preserved_on", "preservation_decided_on", "hearing_requested_on", "hearing_withdrawn_on", "hearing_notified_on", "hearing_held_on", "legal_review_on", "collective_discussion_on",
            "decided_on", "served_on", "executed_on", "closed_on", "decision", "fine_amount", "is_major", "complex_case",
            "first_offence_exempt", "public_service_reduction", "fast_track", "involves_enterprise", "suspected_crime",
            "published_on", "decision_changed_on", "publication_withdrawn_on", "credit_repair_notice_on",
            "impact_assessed_on", "crime_found_on", "crime_reported_on", "transfer_decided_on", "transfer_approved_at", "transferred_at",
            "officers", "light", "findings",
        ]  # fmt: skip
        read_only_fields = ["light", "findings"]
        validators = []  # uniqueness and the rest are the service's to check, in Chinese


class CaseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """执法案件:GET /api/cases/、POST 登记、PUT/PATCH 修改;每次写入后按三项制度和法定期限检查。"""

    capability = "cases.view"
    write_capability = "cases.record"
    permission_classes = [CapabilityPermission]
    serializer_class = CaseSerializer
    filterset_fields = ["unit", "act_type", "light", "procedure"]

    def get_queryset(self):
        return (
            Case.objects.restrict(self.request.user, "view")
            .prefetch_related("officers", "findings")
            .order_by("-id")
        )

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError) as exc:
            raise Http404 from exc

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "officers"}
        serializer.instance = call_service(
            services.case_save,
            case=None,
            data=data,
            officers=serializer.validated_data["officers"],
            user=self.request.user,
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "officers"}
        officers = serializer.validated_data.get("officers")
        serializer.instance = call_service(
            services.case_save,
            case=serializer.instance,
            data=data,
            officers=officers,
            user=self.request.user,
        )


router.register("cases", CaseViewSet, basename="case")
