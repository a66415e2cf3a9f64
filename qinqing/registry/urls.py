from django.urls import path

from . import views, views_provisional
from .chambers import views as chambers_views
from .enterprises import views as enterprises_views
from .importing import views as importing_views
from .members import views as members_views

app_name = "registry"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("enterprises/", enterprises_views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", enterprises_views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", enterprises_views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", enterprises_views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/figures/", enterprises_views.enterprise_figures, name="enterprise_figures"),
    path("enterprises/<int:pk>/contacts/new/", enterprises_views.contact_add, name="contact_add"),
    path("enterprises/<int:pk>/reveal/<str:field>/", enterprises_views.reveal, name="reveal"),
    path("enterprises/<int:pk>/provisional/", views_provisional.resolve, name="provisional_resolve"),
    path("figures/<int:pk>/edit/", enterprises_views.figures_edit, name="figures_edit"),
    path("figures/<int:pk>/remove/", enterprises_views.figures_remove, name="figures_remove"),
    path("contacts/<int:pk>/edit/", enterprises_views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/remove/", enterprises_views.contact_remove, name="contact_remove"),
    path("contacts/<int:pk>/reveal/<str:field>/", enterprises_views.contact_reveal, name="contact_reveal"),
    path("members/", members_views.member_list, name="member_list"),
    path("members/new/", members_views.member_add, name="member_add"),
    path("members/<int:pk>/", members_views.member_detail, name="member_detail"),
    path("members/<int:pk>/reveal/<str:field>/", members_views.member_reveal, name="member_reveal"),
    path("chambers/", chambers_views.chamber_list, name="chamber_list"),
    path("chambers/new/", chambers_views.chamber_create, name="chamber_create"),
    path("chambers/term-due/", chambers_views.term_due, name="term_due"),
    path("chambers/<int:pk>/", chambers_views.chamber_detail, name="chamber_detail"),
    path("chambers/<int:pk>/edit/", chambers_views.chamber_edit, name="chamber_edit"),
    path("chambers/<int:pk>/term/", chambers_views.chamber_term, name="chamber_term"),
    path("chambers/<int:pk>/ratings/new/", chambers_views.rating_add, name="rating_add"),
    path("chambers/<int:pk>/branches/new/", chambers_views.branch_add, name="branch_add"),
    path("terms/<int:pk>/edit/", chambers_views.term_edit, name="term_edit"),
    path("terms/<int:pk>/remove/", chambers_views.term_remove, name="term_remove"),
    path("ratings/<int:pk>/remove/", chambers_views.rating_remove, name="rating_remove"),
    path("branches/<int:pk>/edit/", chambers_views.branch_edit, name="branch_edit"),
    path("branches/<int:pk>/remove/", chambers_views.branch_remove, name="branch_remove"),
    path("import/", importing_views.import_start, name="import_start"),
    path("import/template/<str:kind>/", importing_views.import_template, name="import_template"),
    path("import/<int:pk>/", importing_views.import_job, name="import_job"),
    path("import/<int:pk>/errors.csv", importing_views.import_errors, name="import_errors"),
]
