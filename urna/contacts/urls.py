from django.urls import path

from urna.contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.rights_start, name="rights_start"),
    path("codigo/", views.rights_code_view, name="rights_code"),
    path("mis-datos/", views.rights_view, name="rights"),
]
