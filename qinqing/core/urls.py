from django.urls import path

from . import calendar_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("calendar/", calendar_views.calendar_settings, name="calendar"),
]
