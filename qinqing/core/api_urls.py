from django.urls import path

from . import api_views, calendar_api

urlpatterns = [
    path("me/", api_views.MeView.as_view(), name="api-me"),
    path("jobs/<int:pk>/", api_views.JobDetailView.as_view(), name="api-job"),
    path("calendar/workdays/", calendar_api.WorkdaysView.as_view(), name="api-calendar-workdays"),
    path("calendar/notice/", calendar_api.HolidayNoticeView.as_view(), name="api-calendar-notice"),
]
