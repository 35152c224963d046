"""The one list of channels a citizen can reach Urna by, used by every app.

Contributions, queries, operator sessions, outbound messages, open data and indicators all
store one of these values, so a question asked on TV is counted as TV everywhere. Each app
validates which of them it accepts (an operator types radio, TV, phone and in-person sessions;
messages go out by SMS, WhatsApp and email) with the groups below.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    EXERCISE = "exercise", _("Ejercicio de participación")
    SMS = "sms", _("SMS")
    USSD = "ussd", _("USSD")
    WHATSAPP = "whatsapp", _("WhatsApp")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X")
    # Social networks before each one was told apart (queries stored before issue #13).
    SOCIAL = "social", _("Redes sociales")
    EMAIL = "email", _("Correo electrónico")
    PHONE = "phone", _("Teléfono")
    RADIO = "radio", _("Radio")
    TV = "tv", _("Televisión")
    IN_PERSON = "in_person", _("Presencial")


# Typed in by an operator during a broadcast, call-in or meeting.
OPERATOR_CHANNELS = frozenset({Channel.RADIO, Channel.TV, Channel.PHONE, Channel.IN_PERSON})
# Where a citizen writes to a government account on a social network.
SOCIAL_CHANNELS = frozenset({Channel.FACEBOOK, Channel.INSTAGRAM, Channel.X, Channel.SOCIAL})
# What Urna can send a message by.
OUTBOUND_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP, Channel.EMAIL})


def channel_choices(allowed: frozenset[str] | None = None) -> list[tuple[str, str]]:
    """``Channel.choices``, limited to ``allowed`` and kept in the enum's order."""
    return [(v, label) for v, label in Channel.choices if allowed is None or v in allowed]
