from django.urls import path

from . import api

urlpatterns = [
    path("orgs/", api.OrganizationList.as_view(), name="api-orgs"),
    path("orgs/<int:pk>/", api.OrganizationDetail.as_view(), name="api-org"),
    path("regions/", api.RegionList.as_view(), name="api-regions"),
]
