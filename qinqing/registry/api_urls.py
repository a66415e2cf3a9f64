from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, api_chambers

router = SimpleRouter()
router.register("registry/enterprises", api.EnterpriseViewSet, basename="registry-enterprise")
router.register("registry/figures", api.YearFiguresViewSet, basename="registry-figures")
router.register("registry/contacts", api.ContactViewSet, basename="registry-contact")
router.register("registry/members", api.MemberViewSet, basename="registry-member")
router.register("registry/chambers", api_chambers.ChamberViewSet, basename="registry-chamber")
router.register("registry/terms", api_chambers.TermViewSet, basename="registry-term")
router.register("registry/ratings", api_chambers.RatingViewSet, basename="registry-rating")
router.register("registry/branches", api_chambers.BranchViewSet, basename="registry-branch")

urlpatterns = [
    # Before the router's chambers/<pk>/ so "term-due" is never read as a chamber id.
    path("registry/chambers/term-due/", api_chambers.TermDueList.as_view(), name="registry-term-due"),
    *router.urls,
    path("registry/statistics/", api.StatisticsView.as_view(), name="registry-statistics"),
    path("registry/imports/", api.ImportJobCreate.as_view(), name="registry-import-create"),
    path("registry/imports/template/<str:kind>/", api.ImportTemplate.as_view(), name="registry-import-template"),
    path("registry/imports/<int:pk>/", api.ImportJobDetail.as_view(), name="registry-import-detail"),
]
