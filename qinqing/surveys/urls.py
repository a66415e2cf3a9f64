from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("link/<str:token>/", views.answer_link, name="answer_link"),
    path("public/<str:token>/", views.answer_public, name="answer_public"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/builder/", views.builder, name="builder"),
    path("<int:pk>/builder/<str:code>/remove/", views.question_remove, name="question_remove"),
    path("<int:pk>/open/", views.survey_open, name="open"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/remind/", views.survey_remind, name="remind"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/export.xlsx", views.survey_export, name="export"),
    path("<int:pk>/import/", views.survey_import, name="import"),
    path("<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/responses/", views.response_list, name="responses"),
    path("<int:pk>/answer/", views.answer, name="answer"),
]
