from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/<str:key>/", views.figure_detail, name="figure"),
    path("figures/<str:key>/csv", views.figure_csv, name="figure_csv"),
]
