# (prefix, viewset, basename) registered on the /api/v1/ router by config/api_router.py.
routes: list = []
urlpatterns: list = []
