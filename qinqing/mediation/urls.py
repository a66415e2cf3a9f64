from django.urls import path

from . import views, views_bodies

app_name = "mediation"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/agreement.docx", views.case_agreement, name="case_agreement"),
    path("cases/<int:pk>/reveal-contacts/", views.reveal_contacts, name="reveal_contacts"),
    path("cases/<int:pk>/<slug:step>/", views.case_step, name="case_step"),
    path("bodies/", views_bodies.body_list, name="bodies"),
    path("bodies/new/", views_bodies.body_new, name="body_new"),
    path("bodies/<int:pk>/", views_bodies.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views_bodies.body_edit, name="body_edit"),
    path("bodies/<int:pk>/roster/", views_bodies.roster_add, name="roster_add"),
    path("bodies/<int:pk>/roster/<int:entry>/remove/", views_bodies.roster_remove, name="roster_remove"),
    path("exchange/", views_bodies.exchange_page, name="exchange"),
    path("exchange/export.<slug:fmt>", views_bodies.exchange_export, name="exchange_export"),
    path("figures/", views_bodies.figures_page, name="figures"),
    path("figures/<str:key>/", views_bodies.figure_records, name="figure_records"),
]
