from django.shortcuts import render
from django.urls import path

app_name = "exercises"


def _list(request):
    return render(request, "core/placeholder.html", {"title": "Ejercicios de participación"})


urlpatterns = [path("", _list, name="list")]
