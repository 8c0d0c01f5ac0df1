from django.urls import path

from . import views

app_name = "collective_economy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("incomes/", views.income_list, name="income_list"),
    path("incomes/export.xlsx", views.income_export, name="income_export"),
    path("incomes/new/", views.income_create, name="income_create"),
    path("incomes/<int:pk>/", views.income_detail, name="income_detail"),
    path("incomes/<int:pk>/edit/", views.income_update, name="income_update"),
    path("incomes/<int:pk>/delete/", views.income_delete, name="income_delete"),
    path("villages/<int:pk>/", views.village_economy, name="village_economy"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export.xlsx", views.project_export, name="project_export"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_update, name="project_update"),
    path("projects/<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("support-funds/", views.supportfund_list, name="supportfund_list"),
    path("support-funds/export.xlsx", views.supportfund_export, name="supportfund_export"),
    path("support-funds/new/", views.supportfund_create, name="supportfund_create"),
    path("support-funds/<int:pk>/", views.supportfund_detail, name="supportfund_detail"),
    path("support-funds/<int:pk>/edit/", views.supportfund_update, name="supportfund_update"),
    path("support-funds/<int:pk>/delete/", views.supportfund_delete, name="supportfund_delete"),
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings/export.xlsx", views.pairing_export, name="pairing_export"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.pairing_update, name="pairing_update"),
    path("pairings/<int:pk>/delete/", views.pairing_delete, name="pairing_delete"),
    path("modes/", views.mode_list, name="mode_list"),
    path("modes/new/", views.mode_create, name="mode_create"),
    path("modes/<int:pk>/edit/", views.mode_update, name="mode_update"),
]
