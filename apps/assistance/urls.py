from django.urls import path

from .views import checks, households, lists, stats, teams

app_name = "assistance"
urlpatterns = [
    # Work teams, members, duty and allowances
    path("", teams.team_list, name="team_list"),
    path("teams/export.xlsx", teams.team_export, name="team_export"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<int:pk>/", teams.team_detail, name="workteam_detail"),
    path("teams/<int:pk>/edit/", teams.team_update, name="team_update"),
    path("teams/<int:pk>/members/new/", teams.member_create, name="member_create"),
    path("teams/<int:pk>/duty/<str:month>/", teams.duty_month, name="duty_month"),
    path("members/<int:pk>/", teams.member_detail, name="workteammember_detail"),
    path("members/<int:pk>/edit/", teams.member_update, name="member_update"),
    path("members/<int:pk>/end/", teams.member_end, name="member_end"),
    path("members/<int:pk>/evaluate/", teams.evaluation_create, name="evaluation_create"),
    path("allowances/", teams.allowance_sheet, name="allowance_sheet"),
    path("allowances/export.xlsx", teams.allowance_export, name="allowance_export"),
    path("first-secretaries/", teams.first_secretaries, name="first_secretaries"),
    path("first-secretaries/export.xlsx", teams.first_secretary_export, name="first_secretary_export"),
    # Households
    path("households/", households.household_list, name="household_list"),
    path("households/export.xlsx", households.household_export, name="household_export"),
    path("households/new/", households.household_create, name="household_create"),
    path("households/<int:pk>/", households.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", households.household_update, name="household_update"),
    path("households/<int:pk>/status/", households.household_status, name="household_status"),
    path(
        "households/<int:pk>/members/new/", households.household_member_create, name="household_member_create"
    ),
    path(
        "households/<int:pk>/incomes/new/", households.household_income_create, name="household_income_create"
    ),
    path(
        "households/<int:pk>/measures/new/",
        households.household_measure_create,
        name="household_measure_create",
    ),
    # Responsibility lists
    path("lists/<int:village>/", lists.village_lists, name="village_lists"),
    path("lists/<int:village>/new/", lists.item_create, name="list_item_create"),
    path("list-items/<int:pk>/reconcile/", lists.item_reconcile, name="list_item_reconcile"),
    path("list-items/<int:pk>/close/", lists.item_close, name="list_item_close"),
    # Spot checks and records
    path("spot-checks/", checks.spot_check_list, name="spot_check_list"),
    path("spot-checks/export.xlsx", checks.spot_check_export, name="spot_check_export"),
    path("spot-checks/<int:pk>/", checks.spot_check_detail, name="spotcheck_detail"),
    path("records/", checks.record_list, name="record_list"),
    path("records/export.xlsx", checks.record_export, name="record_export"),
    path("records/<str:kind>/new/", checks.record_create, name="record_create"),
    # Statistics
    path("stats/", stats.stats_page, name="stats"),
]
