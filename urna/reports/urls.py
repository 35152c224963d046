from django.urls import path

from urna.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("anual/<int:year>/", views.annual, name="annual"),
    path("gestion/", views.staff_list, name="staff_list"),
    path("gestion/<slug:slug>/", views.takeaways_edit, name="takeaways"),
    path("<slug:slug>/", views.exercise_report, name="exercise"),
    path("<slug:slug>/informe.pdf", views.exercise_pdf, name="exercise_pdf"),
]
