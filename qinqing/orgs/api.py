"""Read-only API: organisations in the caller's subtree, and the GB/T 2260 region table."""

from rest_framework import generics

from qinqing.core.permissions import AUTHENTICATED

from .filters import OrganizationFilter, RegionFilter
from .models import Region
from .permissions import visible_orgs
from .serializers import OrganizationSerializer, RegionSerializer


class OrganizationList(generics.ListAPIView):
    """Organisations at or below the caller's node; filter by kind, parent id or q."""

    required_permission = "orgs.view_organization"
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return visible_orgs(self.request.user).order_by("path")


class OrganizationDetail(generics.RetrieveAPIView):
    """One organisation in the caller's subtree (404 for any other)."""

    required_permission = "orgs.view_organization"
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        return visible_orgs(self.request.user)


class RegionList(generics.ListAPIView):
    """GB/T 2260 codes, abolished ones included with their years; filter by code prefix, level, parent, year."""

    required_permission = AUTHENTICATED
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    queryset = Region.objects.all()
