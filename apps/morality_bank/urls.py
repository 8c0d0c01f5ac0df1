app_name = "morality_bank"
urlpatterns: list = []
