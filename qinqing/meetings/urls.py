from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/export/<slug:kind>.<slug:fmt>", views.meeting_export, name="export"),
    path("<int:pk>/<slug:op>/", views.meeting_step, name="step"),
]
