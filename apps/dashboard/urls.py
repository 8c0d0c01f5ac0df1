from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.own_dashboard, name="own_dashboard"),
    path("dashboard/figures/", views.figure_index, name="figure_index"),
    path("dashboard/figures/<int:number>/", views.figure_detail, name="figure_detail"),
    path("dashboard/figures/<int:number>/figure.xlsx", views.figure_xlsx, name="figure_xlsx"),
    path("dashboard/figures/<int:number>/figure.svg", views.figure_svg, name="figure_svg"),
    path("dashboard/packs/new/", views.pack_create, name="pack_create"),
    path("dashboard/packs/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("dashboard/packs/<int:pk>/status/", views.pack_status, name="pack_status"),
    path("dashboard/packs/<int:pk>/<str:kind>/", views.pack_download, name="pack_download"),
    path("dashboard/surveys/", views.survey_results, name="survey_list"),
    path("dashboard/surveys/export.xlsx", views.survey_export, name="survey_export"),
    path("dashboard/surveys/new/", views.survey_create, name="survey_create"),
    path("dashboard/surveys/<int:pk>/", views.survey_update, name="survey_update"),
    path("dashboard/public-pages/<int:pk>/switch/", views.public_page_switch, name="public_page_switch"),
    path("dashboard/public-pages/<int:pk>/qr.svg", views.public_page_qr, name="public_page_qr"),
    # Last: "figures", "packs" … would otherwise be read as a region level.
    path("dashboard/<str:level>/<int:pk>/", views.dashboard, name="dashboard"),
    path("public/villages/<str:code>/", views.public_village, name="public_village"),
]
