"""Who did something, as a person reads it: the stored actor codes of histories and the audit
log ("citizen:web", "system", "system:reminders", a username) turned into labels."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urna.core.channels import Channel

CITIZEN = "citizen"
SYSTEM = "system"

# What runs as the system, after "system:" in a code.
SYSTEM_TASKS = {
    "reminders": gettext_lazy("recordatorios de vencimiento"),
    "cierre": gettext_lazy("cierre automático"),
    "demo": gettext_lazy("datos de demostración"),
}


def actor_display(label: str, user: Any = None) -> str:
    """A staff member by their name (their username when they have none); a citizen by the
    channel they used; the system by its task; any other code as stored."""
    if user is not None:
        return user.get_full_name() or user.get_username()
    kind, _sep, detail = (label or SYSTEM).partition(":")
    if kind == CITIZEN:
        if detail in Channel.values:
            return _("Ciudadano (%(channel)s)") % {"channel": Channel(detail).label}
        return _("Ciudadano")
    if kind == SYSTEM:
        task = SYSTEM_TASKS.get(detail)
        return _("Sistema (%(task)s)") % {"task": task} if task else _("Sistema")
    return label
