"""/api/v1/ visits, inspections, promotion-events, outbound-trips, stationings: the ledgers for integrators.

Thin views: the input serializer checks the shape, one service in outreach.services makes
the change (and its audit record), the answer is the record read back in scope. Lists use
the same FilterSets as the pages and cost a fixed number of queries per page.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet

from .. import selectors, services
from ..filtersets import EventFilterSet, InspectionFilterSet, StationingFilterSet, TripFilterSet, VisitFilterSet
from ..models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit
from . import serializers as s


class LedgerViewSet(ScopedModelViewSet):
    """List, retrieve, create, PATCH and DELETE, every write through the kind's service."""

    kind = ""
    selector = None

    def get_queryset(self):
        return selectors.with_details(type(self).selector(self.request.user))

    def create_object(self, data):
        return getattr(services, f"create_{self.kind}")(actor=self.request.user, **data)

    def update_object(self, obj, data):
        return getattr(services, f"update_{self.kind}")(actor=self.request.user, **{self.kind: obj}, **data)

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        getattr(services, f"delete_{self.kind}")(actor=request.user, **{self.kind: obj})
        return Response(status=status.HTTP_204_NO_CONTENT)


def ledger_schema(noun, create_description=""):
    return extend_schema_view(
        list=extend_schema(summary=f"{noun}列表", description="当前用户可见的记录，最新的在前。"),
        retrieve=extend_schema(summary=f"{noun}详情"),
        create=extend_schema(summary=f"登记{noun}", description=create_description),
        partial_update=extend_schema(summary=f"修改{noun}"),
        destroy=extend_schema(summary=f"删除{noun}", description="审计日志保留被删除记录的内容。"),
    )


@ledger_schema(
    "走访",
    "company（企业ID）与 company_name（企业名称，库中没有时自动加入）二选一；"
    "同一单位、同一天、同一企业、相同内容的走访只能登记一次。",
)
class VisitViewSet(LedgerViewSet):
    model = Visit
    kind = "visit"
    selector = staticmethod(selectors.visits_for)
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilterSet
    input_serializer_classes = {"create": s.VisitCreateSerializer, "partial_update": s.VisitUpdateSerializer}


@ledger_schema("考察", "company 与 company_name 二选一；host_units 为本市的县（市、区）或开发区。")
class InspectionViewSet(LedgerViewSet):
    model = Inspection
    kind = "inspection"
    selector = staticmethod(selectors.inspections_for)
    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilterSet
    input_serializer_classes = {
        "create": s.InspectionCreateSerializer,
        "partial_update": s.InspectionUpdateSerializer,
    }


@ledger_schema("推介会", "参会企业可给 companies（ID）或 company_names（名称，库中没有的自动加入）；签约金额以万元计。")
class PromotionEventViewSet(LedgerViewSet):
    model = PromotionEvent
    kind = "event"
    selector = staticmethod(selectors.events_for)
    serializer_class = s.EventSerializer
    filterset_class = EventFilterSet
    input_serializer_classes = {"create": s.EventCreateSerializer, "partial_update": s.EventUpdateSerializer}


@ledger_schema("外出招商", "对接企业可给 companies（ID）或 company_names（名称）。")
class OutboundTripViewSet(LedgerViewSet):
    model = OutboundTrip
    kind = "trip"
    selector = staticmethod(selectors.trips_for)
    serializer_class = s.TripSerializer
    filterset_class = TripFilterSet
    input_serializer_classes = {"create": s.TripCreateSerializer, "partial_update": s.TripUpdateSerializer}


@ledger_schema("驻点记录", "天数按首尾两天都计；同一人员的驻点时间不能重叠。")
class StationingViewSet(LedgerViewSet):
    model = Stationing
    kind = "stationing"
    selector = staticmethod(selectors.stationings_for)
    serializer_class = s.StationingSerializer
    filterset_class = StationingFilterSet
    input_serializer_classes = {
        "create": s.StationingCreateSerializer,
        "partial_update": s.StationingUpdateSerializer,
    }
