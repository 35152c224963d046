from django.shortcuts import render
from django.urls import path

app_name = "opendata"


def _index(request):
    return render(request, "core/placeholder.html", {"title": "Datos abiertos"})


urlpatterns = [path("datos/", _index, name="index")]
