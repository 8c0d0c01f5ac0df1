app_name = "collective_economy"
urlpatterns: list = []
