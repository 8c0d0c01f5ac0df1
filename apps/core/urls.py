from django.urls import path

from .views import history

app_name = "core"
urlpatterns = [
    path("<str:app_label>/<str:model_name>/<int:pk>/", history, name="history"),
]
