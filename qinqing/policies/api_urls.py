from django.urls import path

from . import api

urlpatterns = [
    path("policies/", api.PolicyList.as_view(), name="api-policies"),
    path("policies/vocabulary/", api.Vocabulary.as_view(), name="api-policy-vocabulary"),
    path("policies/mine/", api.MyPolicies.as_view(), name="api-my-policies"),
    path("policies/figures/", api.Figures.as_view(), name="api-policy-figures"),
    path("policies/matching/run/", api.MatchingRun.as_view(), name="api-policy-matching-run"),
    path("policies/<int:pk>/", api.PolicyDetail.as_view(), name="api-policy"),
    path("policies/<int:pk>/attachments/", api.AttachmentUpload.as_view(), name="api-policy-attachments"),
    path(
        "policies/<int:pk>/attachments/<int:attachment_pk>/",
        api.AttachmentDetail.as_view(),
        name="api-policy-attachment",
    ),
    path("policies/<int:pk>/state/", api.PolicyState.as_view(), name="api-policy-state"),
    path("policies/<int:pk>/eligible/", api.Eligible.as_view(), name="api-policy-eligible"),
    path("policies/<int:pk>/push/", api.Push.as_view(), name="api-policy-push"),
]
