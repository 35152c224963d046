"""What messaging needs from the contacts app, which stands above it: registrations.

``urna.contacts`` registers, in its ``AppConfig.ready()``:

- the **consent gate** ``fn(contact_ids, channel, purpose) -> set[int]``: the contacts that may
  receive a message for ``purpose`` ("answers", "campaigns", "surveys") on ``channel`` today.
  Every message with a purpose passes it when queued, and every batch of a dispatch passes it
  again just before it is sent. Without a registered gate no message with a purpose is sent
  (fail closed); transactional messages (a reply, a code the citizen asked for) never pass it.
- the **recipient variables** ``fn(contact_ids) -> {contact_id: {"nombre": ..., ...}}`` that a
  dispatch's template is rendered with (default: none, the variables render empty);
- the **unsubscribe URL** ``fn(contact_id, channel, purpose) -> str`` (the ``{enlace_baja}``
  variable and the email's RFC 8058 ``List-Unsubscribe`` header; default: none).
"""

from collections.abc import Callable, Collection

ConsentGate = Callable[[Collection[int], str, str], set[int]]
RecipientVars = Callable[[list[int]], dict[int, dict[str, str]]]
UnsubscribeUrl = Callable[[int, str, str], str]

# One slot per hook; tests swap a slot with monkeypatch.setitem.
HOOKS: dict[str, Callable | None] = {
    "consent_gate": None,
    "recipient_vars": None,
    "unsubscribe": None,
}


def register_consent_gate(fn: ConsentGate) -> ConsentGate:
    HOOKS["consent_gate"] = fn
    return fn


def register_recipient_vars(fn: RecipientVars) -> RecipientVars:
    HOOKS["recipient_vars"] = fn
    return fn


def register_unsubscribe_url(fn: UnsubscribeUrl) -> UnsubscribeUrl:
    HOOKS["unsubscribe"] = fn
    return fn


def consent_allowed(contact_ids: Collection[int], channel: str, purpose: str) -> set[int]:
    """The ids among ``contact_ids`` the registered gate allows; none without a gate."""
    gate = HOOKS["consent_gate"]
    if gate is None or not contact_ids:
        return set()
    return set(gate(contact_ids, channel, purpose))


def recipient_vars(contact_ids: list[int]) -> dict[int, dict[str, str]]:
    resolver = HOOKS["recipient_vars"]
    if resolver is None or not contact_ids:
        return {}
    return resolver(contact_ids)


def unsubscribe_url(contact_id: int | None, channel: str, purpose: str) -> str:
    build = HOOKS["unsubscribe"]
    if build is None or contact_id is None or not purpose:
        return ""
    return build(contact_id, channel, purpose)
