from django.urls import path

from . import views

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("export.xlsx", views.village_export, name="village_export"),
    path("new/", views.village_create, name="village_create"),
    path("<int:pk>/", views.village_detail, name="village_detail"),
    path("<int:pk>/edit/", views.village_update, name="village_update"),
    path("<int:pk>/retire/", views.village_retire, name="village_retire"),
    path("<int:pk>/delete/", views.village_delete, name="village_delete"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/county/<int:pk>/", views.county_detail, name="county_detail"),
    path("regions/township/<int:pk>/", views.township_detail, name="township_detail"),
]
