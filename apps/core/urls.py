from django.urls import path

from . import views_imports, views_reporting
from .views import (
    history,
    id_number_access_export,
    id_number_access_list,
    setting_detail,
    setting_export,
    setting_list,
)

app_name = "core"
urlpatterns = [
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", history, name="history"),
    path("settings/", setting_list, name="setting_list"),
    path("settings/export.xlsx", setting_export, name="setting_export"),
    path("settings/<str:key>/", setting_detail, name="setting_detail"),
    path("id-number-access/", id_number_access_list, name="id_number_access_list"),
    path("id-number-access/export.xlsx", id_number_access_export, name="id_number_access_export"),
    path("periods/", views_reporting.period_list, name="period_list"),
    path("periods/export.xlsx", views_reporting.period_export, name="period_export"),
    path("periods/<int:pk>/", views_reporting.period_detail, name="period_detail"),
    path("periods/open/<int:township_id>/<str:period>/", views_reporting.period_open, name="period_open"),
    path(
        "periods/open-county/<int:county_id>/<str:period>/",
        views_reporting.county_period_open,
        name="county_period_open",
    ),
    path("periods/bulletin/", views_reporting.bulletin_page, name="bulletin"),
    path("notifications/", views_reporting.notification_list, name="notification_list"),
    path("imports/", views_imports.import_list, name="import_list"),
    path("imports/<int:pk>/", views_imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/commit/", views_imports.import_commit, name="import_commit"),
    path("imports/<int:pk>/report/", views_imports.import_report, name="import_report"),
    path("imports/<int:pk>/file/", views_imports.import_file, name="import_file"),
    path("imports/templates/<slug:kind>/", views_imports.import_template, name="import_template"),
]
