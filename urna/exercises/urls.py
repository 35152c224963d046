from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.exercises import (
    browse_views,
    explainer_views,
    participant_views,
    staff_views,
    timeline_views,
    update_views,
    views,
)

app_name = "exercises"

urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("mis-aportes/", participant_views.my_contributions, name="mine"),
    # The staff pages, under gestion/: the exercises tool.
    *tool_patterns(
        "exercises:staff_list",
        [
            path("gestion/", staff_views.exercise_list, name="staff_list"),
            path("gestion/nuevo/", staff_views.exercise_create, name="staff_create"),
            path("gestion/<slug:slug>/", staff_views.exercise_manage, name="staff_manage"),
            path(
                "gestion/<slug:slug>/fase/",
                staff_views.exercise_transition,
                name="staff_transition",
            ),
            path(
                "gestion/<slug:slug>/umbral/",
                staff_views.support_threshold,
                name="staff_support_threshold",
            ),
            path(
                "gestion/<slug:slug>/articulos/", staff_views.article_add, name="staff_article_add"
            ),
            path(
                "gestion/<slug:slug>/preguntas/",
                staff_views.question_add,
                name="staff_question_add",
            ),
            path(
                "gestion/<slug:slug>/documentos/",
                staff_views.document_add,
                name="staff_document_add",
            ),
            path(
                "gestion/<slug:slug>/moderacion/", staff_views.moderation, name="staff_moderation"
            ),
            path("gestion/<slug:slug>/matriz/", staff_views.matrix, name="staff_matrix"),
            path("gestion/<slug:slug>/aportes.csv", staff_views.export_csv, name="staff_export"),
            path("gestion/<slug:slug>/novedades/", update_views.updates, name="staff_updates"),
            path(
                "gestion/<slug:slug>/novedades/<int:pk>/",
                update_views.update_edit,
                name="staff_update_edit",
            ),
            path(
                "gestion/<slug:slug>/novedades/<int:pk>/publicar/",
                update_views.update_publish,
                name="staff_update_publish",
            ),
            path(
                "gestion/<slug:slug>/novedades/<int:pk>/documentos/",
                update_views.update_document,
                name="staff_update_document",
            ),
            path(
                "gestion/<slug:slug>/que-cambia/",
                explainer_views.explainer_edit,
                name="staff_explainer",
            ),
        ],
    ),
    path("<slug:slug>/", views.exercise_detail, name="detail"),
    path("<slug:slug>/que-cambia/", explainer_views.explainer, name="explainer"),
    path("<slug:slug>/participar/", views.participate, name="participate"),
    path("<slug:slug>/preguntas/<int:number>/", views.answer_question, name="answer"),
    path("<slug:slug>/gracias/<str:receipt>/", views.thanks, name="thanks"),
    path("<slug:slug>/apoyar/<int:pk>/", views.support, name="support"),
    path("<slug:slug>/resultados/", views.results, name="results"),
    path("<slug:slug>/aportes/", browse_views.contributions, name="contributions"),
    path("<slug:slug>/aportes/<int:pk>/", browse_views.contribution, name="contribution"),
    path("<slug:slug>/seguimiento/", timeline_views.timeline, name="timeline"),
    path("<slug:slug>/seguimiento.atom", timeline_views.timeline_feed, name="timeline_feed"),
    path("<slug:slug>/seguir/", timeline_views.follow, name="follow"),
    path("<slug:slug>/seguir/codigo/", timeline_views.follow_code, name="follow_code"),
    path("<slug:slug>/dejar-de-seguir/", timeline_views.unfollow, name="unfollow"),
    path("<slug:slug>/seguir/cuenta/", participant_views.follow_account, name="follow_account"),
]
