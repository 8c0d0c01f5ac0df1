from django.urls import path

from .views import party, regions

app_name = "villages"
urlpatterns = [
    path("", regions.village_list, name="village_list"),
    path("export.xlsx", regions.village_export, name="village_export"),
    path("new/", regions.village_create, name="village_create"),
    path("<int:pk>/", regions.village_detail, name="village_detail"),
    path("<int:pk>/edit/", regions.village_update, name="village_update"),
    path("<int:pk>/retire/", regions.village_retire, name="village_retire"),
    path("<int:pk>/delete/", regions.village_delete, name="village_delete"),
    path("regions/", regions.region_list, name="region_list"),
    path("regions/export.xlsx", regions.region_export, name="region_export"),
    path("regions/county/<int:pk>/", regions.county_detail, name="county_detail"),
    path("regions/township/<int:pk>/", regions.township_detail, name="township_detail"),
    # Party organisations and their four-level chain
    path("party-organisations/", party.organisation_list, name="partyorganisation_list"),
    path("party-organisations/export.xlsx", party.organisation_export, name="partyorganisation_export"),
    path("party-organisations/new/", party.organisation_create, name="partyorganisation_create"),
    path("party-organisations/figures/", party.party_figures, name="party_figures"),
    path("party-organisations/<int:pk>/", party.organisation_detail, name="partyorganisation_detail"),
    path("party-organisations/<int:pk>/edit/", party.organisation_update, name="partyorganisation_update"),
    path("party-organisations/<int:pk>/delete/", party.organisation_delete, name="partyorganisation_delete"),
    path("party-organisations/<int:pk>/rate/", party.rating_create, name="rating_create"),
    path("party-organisations/<int:pk>/grids/new/", party.grid_create, name="partygrid_create"),
    path("party-grids/<int:pk>/edit/", party.grid_update, name="partygrid_update"),
    path("party-grids/<int:pk>/delete/", party.grid_delete, name="partygrid_delete"),
    path("party-grids/<int:pk>/households/new/", party.household_create, name="centralhousehold_create"),
    path("central-households/<int:pk>/edit/", party.household_update, name="centralhousehold_update"),
    path("central-households/<int:pk>/delete/", party.household_delete, name="centralhousehold_delete"),
    # Ratings and rectification
    path("ratings/<int:pk>/edit/", party.rating_update, name="rating_update"),
    path("rectifications/", party.rectification_board, name="rectification_board"),
    path("rectifications/export.xlsx", party.rectification_export, name="rectification_export"),
    path("rectifications/<int:pk>/", party.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/edit/", party.rectification_update, name="rectification_update"),
    path("rectifications/<int:pk>/start/", party.rectification_start, name="rectification_start"),
    path("rectifications/<int:pk>/accept/", party.rectification_accept, name="rectification_accept"),
    path("rectifications/<int:pk>/extend/", party.rectification_extend, name="rectification_extend"),
    path("rectifications/<int:pk>/notes/", party.rectification_note_add, name="rectification_note_add"),
]
