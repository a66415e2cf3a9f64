from django.urls import path

from . import views, views_figures, views_scheme, views_visits

app_name = "health"
urlpatterns = [
    path("", views.results, name="results"),
    path("mine/", views.mine, name="mine"),
    path("enterprises/<int:pk>/", views.diagnosis_page, name="diagnosis"),
    path("enterprises/<int:pk>/figures/", views.supplement, name="supplement"),
    path("enterprises/<int:pk>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("runs/", views.runs, name="runs"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("versions/", views_scheme.version_list, name="versions"),
    path("versions/new/", views_scheme.version_new, name="version_new"),
    path("versions/<int:pk>/", views_scheme.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views_scheme.version_edit, name="version_edit"),
    path("versions/<int:pk>/publish/", views_scheme.version_publish, name="version_publish"),
    path("visits/", views_visits.visit_list, name="visits"),
    path("visits/new/", views_visits.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views_visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/appeal/", views_visits.visit_appeal, name="visit_appeal"),
    path("figures/", views_figures.figures_page, name="figures"),
    path("figures/<str:key>/", views_figures.figure_records, name="figure_records"),
]
