from django.urls import path

from . import views, views_checkin, views_figures, views_jobs

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/register/", views.activity_register, name="register"),
    path("<int:pk>/register-for/", views.activity_register_for, name="register_for"),
    path("<int:pk>/jobs/new/", views_jobs.job_new, name="job_new"),
    path("jobs/<int:pk>/intentions/", views_jobs.job_intentions, name="job_intentions"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/qr.svg", views_checkin.registration_qr, name="registration_qr"),
    path("sessions/<int:pk>/", views_checkin.session_detail, name="session"),
    path("sessions/<int:pk>/qr.svg", views_checkin.session_qr, name="session_qr"),
    path("sessions/<int:pk>/checkin/", views_checkin.session_checkin, name="session_checkin"),
    path("checkin/<str:token>/", views_checkin.checkin, name="checkin"),
    path("figures/", views_figures.figures_page, name="figures"),
    path("figures/<str:key>/", views_figures.figure_records, name="figure_records"),
]
