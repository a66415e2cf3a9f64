from django.urls import path

from . import admin_views, security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_second_factor, name="login_second_factor"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("me/", views.my_security, name="my_security"),
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_create, name="user_create"),
    path("users/<int:pk>/", admin_views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", admin_views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", admin_views.user_reset_password, name="user_reset_password"),
    path("requests/", admin_views.request_list, name="request_list"),
    path("requests/<int:pk>/decide/", admin_views.request_decide, name="request_decide"),
    path("security/", security_views.security_overview, name="security"),
    path("security/unlock/", security_views.unlock, name="unlock"),
    path("security/reset-totp/", security_views.reset_totp, name="reset_totp"),
]
