from django.urls import path

from . import views, views_figures

app_name = "contactlog"
urlpatterns = [
    path("", views.entry_list, name="entries"),
    path("new/", views.entry_new, name="entry_new"),
    path("<int:pk>/", views.entry_detail, name="entry_detail"),
    path("<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/matters/", views.matter_add, name="matter_add"),
    path("<int:pk>/review/", views.entry_review, name="entry_review"),
    path("matters/<int:pk>/appeal/", views.matter_appeal, name="matter_appeal"),
    path("review/", views.review_list, name="review"),
    path("conduct/", views.conduct_list, name="conduct"),
    path("conduct/new/", views.conduct_new, name="conduct_new"),
    path("conduct/<int:pk>/", views.conduct_edit, name="conduct_edit"),
    path("figures/", views_figures.figures_page, name="figures"),
    path("figures/<str:key>/", views_figures.figure_records, name="figure_records"),
]
