from django.urls import path

from . import views, views_donations, views_listing

app_name = "programs"
urlpatterns = [
    path("", views.pairing_list, name="pairings"),
    path("pairings/new/", views.pairing_new, name="pairing_new"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/year/", views.project_year, name="project_year"),
    path("ledger.xlsx", views.ledger_export, name="ledger"),
    path("figures/", views.figures_page, name="figures"),
    path("donations/", views_donations.donation_list, name="donations"),
    path("donations/new/", views_donations.donation_new, name="donation_new"),
    path("donations/<int:pk>/", views_donations.donation_detail, name="donation_detail"),
    path("donations/<int:pk>/receipt/", views_donations.donation_receipt, name="donation_receipt"),
    path("donations/<int:pk>/receipt/upload/", views_donations.donation_receipt_upload, name="donation_receipt_upload"),
    path("donations/<int:pk>/letter.pdf", views_donations.donation_letter, name="donation_letter"),
    path("donations/<int:pk>/report/", views_donations.donation_report, name="donation_report"),
    path("listing/", views_listing.candidate_list, name="candidates"),
    path("listing/new/", views_listing.candidate_new, name="candidate_new"),
    path("listing/<int:pk>/", views_listing.candidate_detail, name="candidate_detail"),
    path("listing/<int:pk>/stage/", views_listing.candidate_stage, name="candidate_stage"),
    path("listing/<int:pk>/service/", views_listing.candidate_service, name="candidate_service"),
    path("listing/<int:pk>/tier/", views_listing.candidate_tier, name="candidate_tier"),
]
