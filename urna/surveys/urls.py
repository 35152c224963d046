"""Mounted at ``encuestas/`` by the site URL map."""

app_name = "surveys"

urlpatterns: list = []
