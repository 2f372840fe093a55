"""REST API for enterprise inspections: token per unit account, scoped like the UI; writes go
through the same service as the page (warnings on multiple and repeated inspections)."""

from rest_framework import mixins, viewsets

from oversight.core.api import (
    CapabilityPermission,
    PlatformModelSerializer,
    ScopedPrimaryKeyRelatedField,
    call_service,
    router,
)
from oversight.enforcement.models import Officer

from . import services
from .models import Inspection


class InspectionSerializer(PlatformModelSerializer):
    officers = ScopedPrimaryKeyRelatedField(many=True, queryset=Officer.objects.all())

    class Meta:
        model = Inspection
        fields = [
            "id",
            "enterprise",
            "unit",
            "kind",
            "date",
            "items",
            "officers",
            "result",
            "warnings",
        ]
        read_only_fields = ["warnings"]


class InspectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """涉企检查:GET /api/inspections/、POST 登记(返回多头检查、超次数等提示)。"""

    capability = "cases.view"
    write_capability = "cases.record"
    permission_classes = [CapabilityPermission]
    serializer_class = InspectionSerializer
    filterset_fields = ["unit", "enterprise", "kind"]

    def get_queryset(self):
        return (
            Inspection.objects.restrict(self.request.user, "view")
            .prefetch_related("officers", "items")
            .order_by("-id")
        )

    def perform_create(self, serializer):
        data = {
            k: v for k, v in serializer.validated_data.items() if k not in {"officers", "items"}
        }
        serializer.instance = call_service(
            services.inspection_record,
            data=data,
            officers=serializer.validated_data["officers"],
            items=serializer.validated_data.get("items", []),
            user=self.request.user,
        )


router.register("inspections", InspectionViewSet, basename="inspection")
