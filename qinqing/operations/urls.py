from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [path("backups/", views.backups, name="backups")]
