from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_create, name="create"),
    path("rule-node/", views.rule_node, name="rule_node"),
    path("industry-search/", views.industry_search, name="industry_search"),
    path("mine/", views.my_policies, name="mine"),
    path("matching/", views.matching_page, name="matching"),
    path("matching/run/", views.matching_run, name="matching_run"),
    path("matching/<int:pk>/", views.matching_detail, name="matching_detail"),
    path("matching/<int:pk>/push/", views.matching_push, name="matching_push"),
    path("figures/", views.figures, name="figures"),
    path("synonyms/", views.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("<int:pk>/state/", views.policy_state, name="state"),
    path("<int:pk>/attach/", views.policy_attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
