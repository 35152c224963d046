from django.urls import path

from urna.exercises import staff_views, views

app_name = "exercises"

urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("gestion/", staff_views.exercise_list, name="staff_list"),
    path("gestion/nuevo/", staff_views.exercise_create, name="staff_create"),
    path("gestion/<slug:slug>/", staff_views.exercise_manage, name="staff_manage"),
    path("gestion/<slug:slug>/fase/", staff_views.exercise_transition, name="staff_transition"),
    path("gestion/<slug:slug>/articulos/", staff_views.article_add, name="staff_article_add"),
    path("gestion/<slug:slug>/preguntas/", staff_views.question_add, name="staff_question_add"),
    path("gestion/<slug:slug>/documentos/", staff_views.document_add, name="staff_document_add"),
    path("gestion/<slug:slug>/moderacion/", staff_views.moderation, name="staff_moderation"),
    path("gestion/<slug:slug>/matriz/", staff_views.matrix, name="staff_matrix"),
    path("gestion/<slug:slug>/aportes.csv", staff_views.export_csv, name="staff_export"),
    path("<slug:slug>/", views.exercise_detail, name="detail"),
    path("<slug:slug>/participar/", views.participate, name="participate"),
    path("<slug:slug>/preguntas/<int:number>/", views.answer_question, name="answer"),
    path("<slug:slug>/gracias/<str:receipt>/", views.thanks, name="thanks"),
    path("<slug:slug>/apoyar/<int:pk>/", views.support, name="support"),
    path("<slug:slug>/resultados/", views.results, name="results"),
]
