from django.urls import path

from . import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),
    path("export.xlsx", views.cadre_export, name="cadre_export"),
    path("new/", views.cadre_create, name="cadre_create"),
    path("<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("<int:pk>/edit/", views.cadre_update, name="cadre_update"),
    path("<int:pk>/delete/", views.cadre_delete, name="cadre_delete"),
    path("<int:pk>/resign/", views.cadre_resign, name="cadre_resign"),
    path("<int:pk>/positions/new/", views.position_create, name="position_create"),
    path("<int:pk>/trainings/new/", views.training_create, name="training_create"),
    path("<int:pk>/enrolments/new/", views.enrolment_create, name="enrolment_create"),
    path("positions/", views.position_list, name="position_list"),
    path("positions/export.xlsx", views.position_export, name="position_export"),
    path("positions/<int:pk>/edit/", views.position_update, name="position_update"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position_delete"),
    path("reserves/", views.reserve_list, name="reserve_list"),
    path("reserves/export.xlsx", views.reserve_export, name="reserve_export"),
    path("reserves/new/", views.reserve_create, name="reserve_create"),
    path("reserves/short/", views.short_of_reserves, name="short_of_reserves"),
    path("reserves/short/export.xlsx", views.short_of_reserves_export, name="short_of_reserves_export"),
    path("reserves/<int:pk>/", views.reservecadre_detail, name="reservecadre_detail"),
    path("reserves/<int:pk>/edit/", views.reserve_update, name="reserve_update"),
    path("reserves/<int:pk>/delete/", views.reserve_delete, name="reserve_delete"),
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/export.xlsx", views.training_export, name="training_export"),
    path("trainings/<int:pk>/edit/", views.training_update, name="training_update"),
    path("trainings/<int:pk>/delete/", views.training_delete, name="training_delete"),
    path("enrolments/<int:pk>/complete/", views.enrolment_complete, name="enrolment_complete"),
    path("enrolments/<int:pk>/delete/", views.enrolment_delete, name="enrolment_delete"),
    path("stats/", views.stats, name="stats"),
]
