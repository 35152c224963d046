from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.results import views

app_name = "results"

# The results matrix is a staff page of the exercises tool (linked from each exercise's page).
urlpatterns = tool_patterns(
    "exercises:staff_list",
    [
        path("plantillas/", views.template_list, name="templates"),
        path("plantillas/<int:pk>/", views.template_edit, name="template_edit"),
        path("plantillas/<int:pk>/eliminar/", views.template_delete, name="template_delete"),
        path("<slug:slug>/", views.matrix, name="matrix"),
        path("<slug:slug>/responder/", views.answer_one, name="answer_one"),
        path("<slug:slug>/responder-varios/", views.answer_many, name="answer_many"),
        path("<slug:slug>/avance/", views.batches, name="batches"),
    ],
)
