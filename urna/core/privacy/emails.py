"""Emails (plain and spelled out to dodge filters) and social-network handles."""

from __future__ import annotations

import re

from urna.core.privacy.common import Finding

# --- emails and handles ----------------------------------------------------------------------

# Emails are found from their "@" (a literal the engine jumps to), then widened to the left over
# the local part.
# A comma typed for the last dot ("juan@gmail,com") is still an email.
_AT_DOMAIN = re.compile(
    r"@ ?[\w\-]+(?:\.[\w\-]+)*(?:\.[\w\-]+|,(?:com|co|net|org|edu|gov|es)(?![\w]))"
)
_TLD = (
    r"(?:com|co|net|org|edu|gov|mil|es|info|io|me|us|biz|mx|ec|pe|ve|ar|cl|br|uk|de|fr|it|ca"
    r"|eu|tv|online|app|site|tech|dev|xyz|cloud)"
)
_SPELLED_DOT = r"(?:\s*[(\[{]\s*(?:dot|punto)\s*[)\]}]\s*|\s+(?:dot|punto)\s+|\s?\.\s?)"
# Spelled emails are found from their "at" (rare), then the local part is matched backwards on
# the reversed text before it and the domain forwards.
_SPELLED_AT_RE = re.compile(
    r"\s*[(\[{]\s*(?:at|arroba|@|a)\s*[)\]}]\s*|\s+(?:at|arroba)\s+|\s?@\s?", re.IGNORECASE
)
_SPELLED_LOCAL_REVERSED = re.compile(
    r"\w[\w+\-]*(?:(?:\.|\s+(?:tod|otnup)\s+|\s*[)\]}]\s*(?:tod|otnup)\s*[(\[{]\s*)[\w+\-]+)*",
    re.IGNORECASE,
)
_SPELLED_DOMAIN = re.compile(
    r"[\w\-]+(?:" + _SPELLED_DOT + r"[\w\-]+)*?" + _SPELLED_DOT + _TLD + r"(?![\w])"
    r"(?:" + _SPELLED_DOT + _TLD + r"(?![\w]))?",
    re.IGNORECASE,
)
_SPELLED_WORDS = frozenset(["arroba", "at", "@"])
# With an "@" in the text: "juan@gmail punto com", "juan @ gmail . com".
_SPELLED_HINTS_AT = (" @", "@ ", "punto", "dot", " .", ". ")
_HANDLE = re.compile(r"@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")

_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")


def _emails_and_handles(text: str, out: list[Finding]) -> None:
    at = text.find("@")
    while at >= 0:
        # "juan @ gmail.com": one space on each side of the "@" is still an email.
        start = at - 1 if at > 1 and text[at - 1] == " " and text[at - 2].isalnum() else at
        while start > 0 and (text[start - 1] in _LOCAL_PART or text[start - 1].isalnum()):
            start -= 1
        while start < at and text[start] in "._+- ":
            start += 1
        domain = _AT_DOMAIN.match(text, at)
        if domain is not None and start < at:
            out.append(Finding("email", start, domain.end()))
            at = text.find("@", domain.end())
            continue
        handle = _HANDLE.match(text, at)
        if handle is not None and (at == 0 or text[at - 1] not in _LOCAL_PART):
            out.append(Finding("handle", at, handle.end()))
        at = text.find("@", at + 1)


def _spelled_emails(text: str, out: list[Finding]) -> None:
    for at in _SPELLED_AT_RE.finditer(text):
        domain = _SPELLED_DOMAIN.match(text, at.end())
        if domain is None:
            continue
        window = text[max(0, at.start() - 80) : at.start()][::-1]
        local = _SPELLED_LOCAL_REVERSED.match(window)
        if local is None:
            continue
        out.append(Finding("email", at.start() - local.end(), domain.end()))
