"""Absolute links for what leaves the site: emails, SMS and WhatsApp texts, campaign links.

A message read in a mail client or on a phone has no page to be relative to, so every link in
one is absolute. The site's address is ``URNA_SITE_URL``, else ``PUBLIC_BASE_URL`` (which also
checks webhook signatures and keeps that meaning), else the address ``make run`` serves.
"""

from django.conf import settings

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The site's public address, without a trailing slash."""
    base = settings.URNA_SITE_URL or settings.PUBLIC_BASE_URL or DEFAULT_SITE_URL
    return base.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (``/r/PQ-…``) as an absolute URL on the site; a URL that already has a scheme
    is returned as it is."""
    if path.startswith(("https://", "http://")):
        return path
    return f"{site_url()}/{path.lstrip('/')}"
