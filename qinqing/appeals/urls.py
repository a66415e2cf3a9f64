from django.urls import path

from . import views, views_attachments, views_figures, views_public

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("new/", views.appeal_new, name="new"),
    path("similar/", views.similar, name="similar"),
    path("track/", views.track, name="track"),
    path("figures/", views_figures.figures_page, name="figures"),
    path("figures/export/", views_figures.figures_export, name="figures_export"),
    path("classification/", views_figures.classification, name="classification"),
    path("status/", views_public.status_lookup, name="status"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/reveal-contact/", views.reveal_contact, name="reveal_contact"),
    path("<int:pk>/attachments/<int:attachment_id>/", views_attachments.attachment_download, name="attachment"),
    path("<int:pk>/<slug:op>/", views.appeal_step, name="step"),
]
