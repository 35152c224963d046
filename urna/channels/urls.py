app_name = "channels"

urlpatterns: list = []
