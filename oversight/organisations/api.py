from rest_framework import serializers

from oversight.core.api import PlatformModelSerializer, ScopedReadOnlyViewSet, router

from .models import Unit


class UnitSerializer(PlatformModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "parent",
            "kind",
            "kind_display",
            "name",
            "short_name",
            "aliases",
            "is_enforcement",
            "is_active",
            "sort_order",
        ]


class UnitViewSet(ScopedReadOnlyViewSet):
    """Units in the caller's scope (GET /api/units/, /api/units/{id}/)."""

    capability = "units.view"
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_fields = ["kind", "is_enforcement", "is_active"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("aliases")


router.register("units", UnitViewSet, basename="unit")
