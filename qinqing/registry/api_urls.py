from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api
from .chambers import api as chambers_api
from .enterprises import api as enterprises_api
from .importing import api as importing_api
from .members import api as members_api

router = SimpleRouter()
router.register("registry/enterprises", enterprises_api.EnterpriseViewSet, basename="registry-enterprise")
router.register("registry/figures", enterprises_api.YearFiguresViewSet, basename="registry-figures")
router.register("registry/contacts", enterprises_api.ContactViewSet, basename="registry-contact")
router.register("registry/members", members_api.MemberViewSet, basename="registry-member")
router.register("registry/chambers", chambers_api.ChamberViewSet, basename="registry-chamber")
router.register("registry/terms", chambers_api.TermViewSet, basename="registry-term")
router.register("registry/ratings", chambers_api.RatingViewSet, basename="registry-rating")
router.register("registry/branches", chambers_api.BranchViewSet, basename="registry-branch")

urlpatterns = [
    # Before the router's chambers/<pk>/ so "term-due" is never read as a chamber id.
    path("registry/chambers/term-due/", chambers_api.TermDueList.as_view(), name="registry-term-due"),
    *router.urls,
    path("registry/statistics/", api.StatisticsView.as_view(), name="registry-statistics"),
    path("registry/imports/", importing_api.ImportJobCreate.as_view(), name="registry-import-create"),
    path(
        "registry/imports/template/<str:kind>/", importing_api.ImportTemplate.as_view(), name="registry-import-template"
    ),
    path("registry/imports/<int:pk>/", importing_api.ImportJobDetail.as_view(), name="registry-import-detail"),
]
