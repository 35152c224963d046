"""Who a participant is, for the rules that count them once: one support per proposal, one
answer per closed question.

A participant is their account when they are logged in, else the phone, email or handle they
wrote from (SMS, USSD, WhatsApp, email), else their browser's session. Only a keyed hash of that
identity is stored (``Support.supporter``, ``QuestionAnswerer.answerer``): neither table points
back at a session or a phone number.
"""

import hashlib
import re
from typing import Any

from django.conf import settings

from urna.contacts.services import ContactDetails


def participant_identity(
    *, user: Any = None, contact: ContactDetails | None = None, session_key: str | None = None
) -> str | None:
    """The participant's identity in words ("user:12", "contact:+57300…", "session:…"), or None
    when nothing identifies them."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    if contact is not None and not contact.empty:
        address = contact.phone or contact.email or contact.handle
        return "contact:" + re.sub(r"[\s\-().]", "", address.strip().lower())
    if session_key:
        return f"session:{session_key}"
    return None


def participant_hash(identity: str) -> str:
    """The keyed hash of an identity that the counting tables keep (``PARTICIPANT_ID_KEY``, else
    ``SECRET_KEY``)."""
    key = getattr(settings, "PARTICIPANT_ID_KEY", "") or settings.SECRET_KEY
    return hashlib.blake2b(identity.encode(), key=key.encode()[:64], digest_size=16).hexdigest()


def participant_key(
    *, user: Any = None, contact: ContactDetails | None = None, session_key: str | None = None
) -> str | None:
    """The stored key of a participant (see ``participant_identity``), or None."""
    identity = participant_identity(user=user, contact=contact, session_key=session_key)
    return participant_hash(identity) if identity else None


def request_participant_key(request: Any) -> str | None:
    """The key of the participant making a web request (their account, else their session)."""
    session = getattr(request, "session", None)
    return participant_key(
        user=getattr(request, "user", None),
        session_key=getattr(session, "session_key", None),
    )
