"""REST API for clues: the 12345 hotline's live feed posts tickets (idempotent per ticket) with a
supervision account's token; every role reads the clues it may see on the pages, without the
complainant's identity."""

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from oversight.core.api import CapabilityPermission, call_service, router

from . import services
from .imports import HotlineImporter, HotlineRow
from .models import Clue


class ClueSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.short_name", default="", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Clue
        fields = [
            "id", "number", "source", "source_display", "external_ref", "received_on", "unit",
            "unit_name", "party_name", "party_credit_code", "matter", "status", "status_display",
            "outcome", "accept_due", "conclude_due", "reply_due", "closed_on",
        ]  # fmt: skip
        read_only_fields = fields


# The hotline's field names (as in its monthly push) → the row form's.
FEED_FIELDS = {
    "ticket": "ticket",
    "received_on": "received_on",
    "complainant_name": "complainant_name",
    "contact": "contact",
    "anonymous": "anonymous",
    "unit_name": "unit",
    "party_name": "party_name",
    "party_credit_code": "party_credit_code",
    "matter": "matter",
}


class ClueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """问题线索:GET /api/clues/;POST 接收 12345 热线工单(同一工单号重复推送时返回已登记的线索,不重复登记)。

    POST 字段:ticket(工单编号)、received_on(来电日期)、complainant_name、contact、anonymous、
    unit_name(被反映单位名称)、party_name、party_credit_code、matter(诉求内容)。返回线索编号和
    查询码(由热线告知诉求人)。
    """

    capability = "supervision.view"
    write_capability = "supervision.manage"
    permission_classes = [CapabilityPermission]
    serializer_class = ClueSerializer
    filterset_fields = ["status", "source", "unit"]

    def get_queryset(self):
        return (
            Clue.objects.restrict(self.request.user, "view").select_related("unit").order_by("-id")
        )

    def create(self, request, *args, **kwargs):
        body = request.data if hasattr(request.data, "get") else {}
        ticket = str(body.get("ticket") or "").strip()
        existing = (
            Clue.objects.filter(source=Clue.Source.HOTLINE, external_ref=ticket).first()
            if ticket
            else None
        )
        if existing is not None:
            return Response(
                ClueSerializer(existing).data | {"duplicate": True}, status=status.HTTP_200_OK
            )
        row = HotlineRow(
            {field: body.get(name) for name, field in FEED_FIELDS.items()},
            importer=HotlineImporter(user=request.user),
        )
        if not row.is_valid():
            names = {field: name for name, field in FEED_FIELDS.items()}
            raise ValidationError({names.get(k, k): v for k, v in row.errors.items()})
        data = dict(row.cleaned_data)
        data["external_ref"] = data.pop("ticket")
        data["source"] = Clue.Source.HOTLINE
        clue = call_service(services.clue_register, data=data, user=request.user)
        return Response(
            ClueSerializer(clue).data | {"query_code": clue.query_code},
            status=status.HTTP_201_CREATED,
        )


router.register("clues", ClueViewSet, basename="clue")
