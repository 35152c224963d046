from django.shortcuts import render
from django.urls import path

app_name = "queries"


def _new(request):
    return render(request, "core/placeholder.html", {"title": "Pregunte al gobierno"})


urlpatterns = [path("nueva/", _new, name="new")]
