from django.urls import path

from . import admin_views, security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_create, name="user_create"),
    path("users/<int:pk>/", admin_views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", admin_views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", admin_views.user_reset_password, name="user_reset_password"),
    path("security/", security_views.security_overview, name="security"),
    path("security/unlock/", security_views.unlock, name="unlock"),
]
