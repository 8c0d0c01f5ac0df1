from django.urls import path

from . import stats, views

# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes = [
    ("work-teams", views.WorkTeamViewSet, "work-team"),
    ("work-team-members", views.WorkTeamMemberViewSet, "work-team-member"),
    ("duty-logs", views.DutyLogViewSet, "duty-log"),
    ("households", views.HouseholdViewSet, "household"),
    ("household-members", views.HouseholdMemberViewSet, "household-member"),
    ("household-incomes", views.HouseholdIncomeViewSet, "household-income"),
    ("household-status-changes", views.HouseholdStatusChangeViewSet, "household-status-change"),
    ("assistance-measures", views.AssistanceMeasureViewSet, "assistance-measure"),
    ("responsibility-items", views.ResponsibilityItemViewSet, "responsibility-item"),
    ("spot-checks", views.SpotCheckViewSet, "spot-check"),
    ("evaluations", views.EvaluationViewSet, "evaluation"),
    ("commendations", views.CommendationViewSet, "commendation"),
    ("promotions", views.PromotionViewSet, "promotion"),
    ("discipline-cases", views.DisciplineCaseViewSet, "discipline-case"),
]
urlpatterns = [
    path("stats/assistance/", stats.AssistanceStatsView.as_view(), name="assistance-stats"),
    path("allowances/", stats.AllowanceSheetView.as_view(), name="assistance-allowances"),
]
