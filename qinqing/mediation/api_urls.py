from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("mediation/bodies", api.BodyViewSet, basename="mediation-body")
router.register("mediation/cases", api.CaseViewSet, basename="mediation-case")

urlpatterns = [
    path("mediation/figures/", api.FiguresView.as_view(), name="mediation-figures"),
    path("mediation/exchange/export/", api.ExchangeExportView.as_view(), name="mediation-exchange-export"),
    path("mediation/exchange/import/", api.ExchangeImportView.as_view(), name="mediation-exchange-import"),
    *router.urls,
]
