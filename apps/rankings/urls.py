from django.urls import path

from . import views
from .integrity import views as integrity_views

app_name = "rankings"
urlpatterns = [
    path("", views.ranking_list, name="ranking_list"),
    path("export.xlsx", views.ranking_export, name="ranking_export"),
    path("<int:pk>/", views.ranking_detail, name="ranking_detail"),
    path("<int:pk>/export.xlsx", views.entry_export, name="entry_export"),
    path("<int:pk>/publish/", views.ranking_publish, name="ranking_publish"),
    path("<int:pk>/entries/<int:subject_id>/", views.entry_detail, name="entry_detail"),
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/export.xlsx", views.escalation_export, name="escalation_export"),
    path("escalations/<int:pk>/talk/", views.escalation_talk, name="escalation_talk"),
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("candidates/export.xlsx", views.candidate_export, name="candidate_export"),
    path("candidates/<int:pk>/confirm/", views.candidate_confirm, name="candidate_confirm"),
    path("lists/", views.rectification_lists, name="rectification_lists"),
    path("configurations/", views.configuration_list, name="configuration_list"),
    path("configurations/export.xlsx", views.configuration_export, name="configuration_export"),
    path("configurations/new/<str:kind>/", views.configuration_create, name="configuration_create"),
    path("findings/", integrity_views.finding_list, name="finding_list"),
    path("findings/export.xlsx", integrity_views.finding_export, name="finding_export"),
    path("findings/<int:pk>/", integrity_views.finding_detail, name="finding_detail"),
    path("findings/bunching/", integrity_views.bunching_ranking, name="finding_bunching"),
    path(
        "findings/bunching/export.xlsx",
        integrity_views.bunching_ranking_export,
        name="finding_bunching_export",
    ),
]
