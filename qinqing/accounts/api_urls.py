from django.urls import path

from . import api

urlpatterns = [
    path("users/", api.UserList.as_view(), name="api-users"),
    path("users/<int:pk>/", api.UserDetail.as_view(), name="api-user"),
    path("auth/token/", api.ObtainToken.as_view(), name="api-token"),
]
