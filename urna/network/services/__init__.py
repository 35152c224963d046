"""Writes of the response network's pages: ``entities`` (the platform team's list of entities),
``staff`` (an entity's members and roles, territorial offices) and ``rules`` (routing rules,
terms, non-working days and answer templates). The names below are the public API."""

from urna.network.services.entities import (
    EDITABLE_KINDS,
    MANAGE_ENTITIES,
    entity_create,
    entity_set_active,
    entity_update,
)
from urna.network.services.rules import (
    MANAGE_NETWORK,
    answer_template_delete,
    answer_template_save,
    entity_term_set,
    non_working_day_add,
    non_working_day_remove,
    routing_rule_delete,
    routing_rule_move,
    routing_rule_save,
    routing_test,
)
from urna.network.services.staff import (
    membership_add,
    membership_remove,
    membership_set_lead,
    password_link,
    password_link_send,
    staff_deactivate,
    staff_invite,
    territorial_office_open,
)

__all__ = [
    "EDITABLE_KINDS",
    "MANAGE_ENTITIES",
    "MANAGE_NETWORK",
    "answer_template_delete",
    "answer_template_save",
    "entity_create",
    "entity_set_active",
    "entity_term_set",
    "entity_update",
    "membership_add",
    "membership_remove",
    "membership_set_lead",
    "non_working_day_add",
    "non_working_day_remove",
    "password_link",
    "password_link_send",
    "routing_rule_delete",
    "routing_rule_move",
    "routing_rule_save",
    "routing_test",
    "staff_deactivate",
    "staff_invite",
    "territorial_office_open",
]
