from django.urls import path

from . import views, views_outputs, views_rankings, views_ratings, views_summary, views_themes

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/", views.figures_page, name="figures"),
    path("recount/<slug:page>/", views.recount, name="recount"),
    path("figures/<str:key>/", views.figure_detail, name="figure"),
    path("figures/<str:key>/csv", views.figure_csv, name="figure_csv"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("fic-ratings/", views_ratings.rating_list, name="fic_ratings"),
    path("fic-ratings/<int:pk>/remove/", views_ratings.rating_remove, name="fic_rating_remove"),
    path("rankings/", views_rankings.ranking_page, name="rankings"),
    path("rankings/flags/", views_rankings.ranking_flags, name="ranking_flags"),
    path("rankings/<int:pk>/", views_rankings.ranking_detail, name="ranking"),
    path("rankings/<int:pk>/export.<slug:fmt>", views_rankings.ranking_export, name="ranking_export"),
    path("summaries/", views_summary.summary_list, name="summaries"),
    path("summaries/<str:code>/<int:year>/", views_summary.summary_detail, name="summary"),
    path("summaries/<str:code>/<int:year>/export.<slug:fmt>", views_summary.summary_export, name="summary_export"),
    path("outputs/", views_outputs.output_list, name="outputs"),
    path("outputs/new/", views_outputs.output_new, name="output_new"),
    path("outputs/<int:pk>/", views_outputs.output_detail, name="output"),
    path("themes/", views_themes.theme_list, name="themes"),
    path("themes/<str:key>/", views_themes.theme_draft, name="theme"),
]
