from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/figures/", views.enterprise_figures, name="enterprise_figures"),
    path("enterprises/<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("chambers/", views.chamber_list, name="chamber_list"),
    path("chambers/term-due/", views.term_due, name="term_due"),
    path("chambers/<int:pk>/", views.chamber_detail, name="chamber_detail"),
    path("chambers/<int:pk>/edit/", views.chamber_edit, name="chamber_edit"),
    path("chambers/<int:pk>/term/", views.chamber_term, name="chamber_term"),
    path("import/", views.import_start, name="import_start"),
    path("import/template/<str:kind>/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
]
