"""A campaign's messages: what each channel needs, the HTML it may carry, and the preview.

The text is a ``urna.messaging.rendering`` template: ``{nombre}``, ``{municipio}``, ``{enlace}``
(the campaign's link, tracked per message) and ``{enlace_baja}`` (the recipient's unsubscribe
link), rendered per recipient by the dispatch. The preview renders it the same way for one
contact of the segment, shown with the name masked; the SMS part count is taken on the text as
it would really go (names and the tracked link included).
"""

import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.conf import settings
from django.utils.translation import gettext as _

from urna.campaigns.sms import sms_length, sms_parts
from urna.contacts.consent import CHANNELS
from urna.contacts.models import Contact
from urna.core.errors import InvalidInput
from urna.messaging.hooks import recipient_vars, unsubscribe_url
from urna.messaging.links import tracked_url
from urna.messaging.rendering import VARIABLES, render, template_errors, template_fields

WHATSAPP_TEMPLATE = re.compile(r"^[a-z0-9_]{1,100}$")
WHATSAPP_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
# Kept in a campaign's HTML; nh3 drops every other tag, script and event handler, and sets
# rel="noopener noreferrer" on links.
HTML_TAGS = {
    "a", "b", "blockquote", "br", "div", "em", "h1", "h2", "h3", "h4", "hr", "i", "img", "li",
    "ol", "p", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
HTML_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
SAMPLE_VARS = {"nombre": "María", "municipio": "Bogotá, D.C."}


def html_clean(html: str) -> str:
    """The campaign's HTML without scripts, styles, event handlers or unknown tags."""
    if not html.strip():
        return ""
    return nh3.clean(
        html,
        tags=HTML_TAGS,
        attributes=HTML_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _check_template(text: str, field_name: str) -> None:
    if template_errors(text):
        raise InvalidInput(
            _("Las llaves { } no están pareadas; escriba {{ o }} para una llave."),
            field=field_name,
        )
    unknown = sorted(template_fields(text) - set(VARIABLES))
    if unknown:
        raise InvalidInput(
            _("Variable desconocida: {%(name)s}. Use %(known)s.")
            % {"name": unknown[0], "known": ", ".join(f"{{{v}}}" for v in VARIABLES)},
            field=field_name,
        )


def content_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise a campaign's channels and messages; returns the fields to store.
    ``InvalidInput`` names the field at fault."""
    channels = [c for c in data.get("channels") or [] if c]
    if not channels:
        raise InvalidInput(_("Elija al menos un canal."), field="channels")
    if len(set(channels)) != len(channels) or any(c not in CHANNELS for c in channels):
        raise InvalidInput(_("Elija cada canal una sola vez."), field="channels")
    out = {
        "channels": channels,
        "sms_body": (data.get("sms_body") or "").strip(),
        "email_subject": (data.get("email_subject") or "").strip()[:200],
        "email_text": (data.get("email_text") or "").strip(),
        "email_html": html_clean(data.get("email_html") or ""),
        "whatsapp_template": (data.get("whatsapp_template") or "").strip(),
        "whatsapp_language": (data.get("whatsapp_language") or "").strip(),
        "whatsapp_params": [str(p) for p in data.get("whatsapp_params") or [] if str(p).strip()],
        "link_url": (data.get("link_url") or "").strip(),
    }
    if "sms" in channels and not out["sms_body"]:
        raise InvalidInput(_("Escriba el texto del SMS."), field="sms_body")
    if "email" in channels:
        if not out["email_subject"]:
            raise InvalidInput(_("Escriba el asunto del correo."), field="email_subject")
        if not out["email_text"]:
            raise InvalidInput(
                _("Escriba la versión en texto del correo (es obligatoria)."), field="email_text"
            )
    if "whatsapp" in channels:
        if not WHATSAPP_TEMPLATE.match(out["whatsapp_template"]):
            raise InvalidInput(
                _("Escriba el nombre de la plantilla aprobada por WhatsApp (minúsculas y _)."),
                field="whatsapp_template",
            )
        if not WHATSAPP_LANGUAGE.match(out["whatsapp_language"]):
            raise InvalidInput(
                _("Escriba el idioma de la plantilla (por ejemplo es o es_CO)."),
                field="whatsapp_language",
            )
    texts = [("sms_body", out["sms_body"]), ("email_subject", out["email_subject"])]
    texts += [("email_text", out["email_text"]), ("email_html", out["email_html"])]
    texts += [("whatsapp_params", p) for p in out["whatsapp_params"]]
    for name, text in texts:
        _check_template(text, name)
    uses_link = any("enlace" in template_fields(text) for _, text in texts)
    if uses_link and not out["link_url"]:
        raise InvalidInput(_("Escriba el enlace que {enlace} abre."), field="link_url")
    if out["link_url"] and not out["link_url"].startswith(("https://", "http://")):
        raise InvalidInput(_("El enlace debe empezar por https://."), field="link_url")
    return out


@dataclass
class ChannelPreview:
    channel: str
    subject: str = ""
    text: str = ""
    html: str = ""
    params: list[str] = field(default_factory=list)
    # SMS only: encoding, parts, characters per part, characters used.
    encoding: str = ""
    parts: int = 0
    per_part: int = 0
    length: int = 0


def _masked(name: str) -> str:
    """The same length as the name, its first letter shown."""
    return name[:1] + "•" * (len(name) - 1) if name else ""


def preview(
    content: dict[str, Any], *, contact: Contact | None, purpose: str
) -> list[ChannelPreview]:
    """Each channel's message as ``contact`` would get it, with the name masked (a fictional
    citizen without a contact). SMS parts are counted on the unmasked text."""
    real = dict(SAMPLE_VARS)
    if contact is not None:
        real.update(recipient_vars([contact.pk]).get(contact.pk, {}))
    base = settings.PUBLIC_BASE_URL or "https://urna.example"
    link = content.get("link_url") or ""
    out = []
    for channel in content.get("channels") or []:
        real_vars = dict(real)
        real_vars["enlace"] = tracked_url(0, link) if link else ""
        real_vars["enlace_baja"] = (
            unsubscribe_url(contact.pk, channel, purpose) if contact is not None else ""
        ) or f"{base}/baja/…"
        shown = dict(real_vars, nombre=_masked(real_vars.get("nombre", "")))
        shown["enlace_baja"] = f"{base}/baja/…"
        if channel == "sms":
            body = content.get("sms_body") or ""
            encoding, parts, per_part = sms_parts(render(body, real_vars))
            out.append(
                ChannelPreview(
                    channel,
                    text=render(body, shown),
                    encoding=encoding,
                    parts=parts,
                    per_part=per_part,
                    length=sms_length(render(body, real_vars)),
                )
            )
        elif channel == "email":
            out.append(
                ChannelPreview(
                    channel,
                    subject=render(content.get("email_subject") or "", shown),
                    text=render(content.get("email_text") or "", shown),
                    html=render(content.get("email_html") or "", shown, html=True),
                )
            )
        else:
            out.append(
                ChannelPreview(
                    channel,
                    text=_("Plantilla «%(name)s» (%(lang)s)")
                    % {
                        "name": content.get("whatsapp_template") or "",
                        "lang": content.get("whatsapp_language") or "",
                    },
                    params=[render(p, shown) for p in content.get("whatsapp_params") or []],
                )
            )
    return out
