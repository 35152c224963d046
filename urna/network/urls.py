"""Mounted at ``red/`` by the site's URL map: the response network's staff pages, in its two
tools: an entity's team, rules, terms and templates (``network:index``), and the entities
themselves with their offices and shared templates (``network:offices``, the platform team)."""

from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.network.views import entities, rules, staff

app_name = "network"

E = "entidades/<int:pk>/"

urlpatterns = [
    # An entity's page opens from either tool: its view refuses with the network's 403 itself.
    path(E, entities.entity_detail, name="entity"),
    *tool_patterns(
        "network:offices",
        [
            path("entidades/nueva/", entities.entity_create, name="entity_create"),
            path(E + "editar/", entities.entity_edit, name="entity_edit"),
            path(E + "activa/", entities.entity_active, name="entity_active"),
            path("oficinas/", entities.offices, name="offices"),
            path("plantillas-comunes/", rules.shared_templates, name="shared_templates"),
            path(
                "plantillas-comunes/<int:template_pk>/",
                rules.shared_template_edit,
                name="shared_template",
            ),
            path(
                "plantillas-comunes/<int:template_pk>/borrar/",
                rules.shared_template_delete,
                name="shared_template_delete",
            ),
        ],
    ),
    *tool_patterns(
        "network:index",
        [
            path("", entities.index, name="index"),
            path(E + "equipo/", staff.staff, name="staff"),
            path(E + "equipo/<int:user_pk>/rol/", staff.role_add, name="role_add"),
            path(
                E + "equipo/<int:user_pk>/desactivar/",
                staff.member_deactivate,
                name="deactivate",
            ),
            path(E + "equipo/<int:user_pk>/enlace/", staff.password_link, name="password_link"),
            path(E + "roles/<int:membership_pk>/quitar/", staff.role_remove, name="role_remove"),
            path(E + "roles/<int:membership_pk>/lider/", staff.lead_set, name="lead"),
            path(E + "reglas/", rules.rules, name="rules"),
            path(E + "reglas/<int:rule_pk>/", rules.rule_edit, name="rule"),
            path(E + "reglas/<int:rule_pk>/borrar/", rules.rule_delete, name="rule_delete"),
            path(E + "reglas/<int:rule_pk>/<str:direction>/", rules.rule_move, name="rule_move"),
            path(E + "plazos/", rules.calendar, name="calendar"),
            path(E + "plazos/dias/<int:day_pk>/borrar/", rules.day_delete, name="day_delete"),
            path(E + "plantillas/", rules.templates, name="templates"),
            path(E + "plantillas/<int:template_pk>/", rules.template_edit, name="template"),
            path(
                E + "plantillas/<int:template_pk>/borrar/",
                rules.template_delete,
                name="template_delete",
            ),
        ],
    ),
]
