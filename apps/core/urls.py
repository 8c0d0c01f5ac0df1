from django.urls import path

from .views import history, id_number_access_list, setting_detail, setting_list

app_name = "core"
urlpatterns = [
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", history, name="history"),
    path("settings/", setting_list, name="setting_list"),
    path("settings/<str:key>/", setting_detail, name="setting_detail"),
    path("id-number-access/", id_number_access_list, name="id_number_access_list"),
]
