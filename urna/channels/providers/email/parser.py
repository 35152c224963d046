"""Inbound email: MIME parsed with the standard library, attachments within limits."""

import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from html.parser import HTMLParser

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_TEXT = 20_000
ALLOWED_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
}
CODE_RE = re.compile(r"\b[A-Z][A-Z0-9]{2,11}\b")


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    recipient: str
    subject: str
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "name (reason)"
    auto_reply: bool = False


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _strip_quoted(text: str) -> str:
    """Drop the quoted history of a reply ('> …' lines and what follows 'El … escribió:')."""
    kept = []
    for line in text.splitlines():
        if line.startswith(">") or re.match(r"^(El|On) .+(escribió|wrote):\s*$", line.strip()):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def parse_mail(raw: bytes) -> ParsedMail:
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
    sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    recipient = parseaddr(str(message.get("Delivered-To") or message.get("To", "")))[1].lower()
    message_id = str(message.get("Message-ID", "")).strip().strip("<>")
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        content = body.get_content()
        text = _html_to_text(content) if body.get_content_type() == "text/html" else content
    parsed = ParsedMail(
        message_id=message_id,
        sender=sender,
        recipient=recipient,
        subject=" ".join(str(message.get("Subject", "")).split())[:200],
        text=_strip_quoted(text)[:MAX_TEXT],
        auto_reply=str(message.get("Auto-Submitted", "no")).lower() != "no"
        or bool(message.get("X-Autoreply"))
        or str(message.get("Precedence", "")).lower() in {"bulk", "auto_reply", "junk"},
    )
    for part in message.iter_attachments():
        name = (part.get_filename() or "adjunto")[:150]
        content_type = part.get_content_type()
        payload = part.get_payload(decode=True) or b""
        if content_type not in ALLOWED_TYPES:
            parsed.refused.append(f"{name} (tipo)")
        elif len(payload) > MAX_ATTACHMENT_BYTES:
            parsed.refused.append(f"{name} (tamaño)")
        elif len(parsed.attachments) >= MAX_ATTACHMENTS:
            parsed.refused.append(f"{name} (cantidad)")
        else:
            parsed.attachments.append(Attachment(name, content_type, payload))
    return parsed


def exercise_code(subject: str, recipient: str) -> list[str]:
    """Candidate short codes: the address's +tag (urna+AGRO@…) first, then subject words."""
    local = recipient.split("@", 1)[0]
    candidates = []
    if "+" in local:
        candidates.append(local.split("+", 1)[1].upper())
    candidates += CODE_RE.findall(subject.upper())
    return candidates
