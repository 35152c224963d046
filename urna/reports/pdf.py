"""What WeasyPrint may read while it renders a report: the platform's own files, nothing else.

A report carries staff-written Markdown (the takeaways), and WeasyPrint fetches every image and
stylesheet a document names. Its default fetcher would follow ``http://127.0.0.1:…`` (an
internal service, a cloud metadata address) or a path that resolves to ``file:///etc/…``. The
``PlatformFiles`` fetcher reads only:

- static files (``STATIC_URL``): from ``STATIC_ROOT`` (collectstatic output) or the apps'
  static folders;
- public media (``MEDIA_URL`` + a folder in ``PUBLIC_MEDIA_FOLDERS``): exercise documents,
  published with their exercise. Citizens' attachments (``queries/``, ``channels/``) never.

Both addressed on the document's base URL (``pdf_base_url``). Anything else raises, which
WeasyPrint logs and skips: the report is rendered without that image, never by a request.

WeasyPrint takes a second or two to import, and every process imports this module (the reports
app's services do), so WeasyPrint is imported by the first render only: ``PlatformFiles``, a
subclass of WeasyPrint's ``URLFetcher``, is built then (``platform_files_class``), and
``from urna.reports.pdf import PlatformFiles`` builds it too.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# Media folders whose files are public (ExerciseDocument.file's upload_to).
PUBLIC_MEDIA_FOLDERS = ("ejercicios",)
# Base URL of a PDF when no PUBLIC_BASE_URL is set: a name that resolves nowhere (RFC 6761).
FALLBACK_BASE_URL = "https://urna.invalid/"


def pdf_base_url() -> str:
    """The URL a report's relative paths (``/static/…``, ``/media/…``) resolve against."""
    return (settings.PUBLIC_BASE_URL or FALLBACK_BASE_URL.rstrip("/")) + "/"


def _relative(path: str, prefix: str) -> PurePosixPath | None:
    """``path`` below the URL ``prefix``, as clean relative parts; None when it is not below
    it. Refuses ``..``, empty and absolute parts (after percent-decoding)."""
    if not path.startswith(prefix):
        return None
    parts = unquote(path[len(prefix) :]).split("/")
    if not parts or any(part in {"", ".", ".."} or "\\" in part for part in parts):
        raise ValueError("not a clean path")
    return PurePosixPath(*parts)


def _inside(root: Path, relative: PurePosixPath) -> Path | None:
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root.resolve()) and candidate.is_file():
        return candidate
    return None


def local_file(url: str) -> Path:
    """The file behind a static or public-media URL of the platform; ValueError otherwise."""
    parts, base = urlsplit(url), urlsplit(pdf_base_url())
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise ValueError("not the platform's address")
    static = _relative(parts.path, settings.STATIC_URL)
    if static is not None:
        found = None
        if settings.STATIC_ROOT:
            found = _inside(Path(settings.STATIC_ROOT), static)
        if found is None:
            located = finders.find(str(static))
            found = Path(located) if isinstance(located, str) else None
        if found is not None:
            return found
        raise ValueError("no such static file")
    media = _relative(parts.path, settings.MEDIA_URL)
    if media is not None and media.parts[0] in PUBLIC_MEDIA_FOLDERS:
        found = _inside(Path(settings.MEDIA_ROOT), media)
        if found is not None:
            return found
    raise ValueError("not a static file or public media")


@cache
def platform_files_class() -> type:
    """WeasyPrint's fetcher for reports: static files and public media, from disk; no network,
    no other file. Built once, on first use, because it imports WeasyPrint."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PlatformFiles(URLFetcher):
        """WeasyPrint's fetcher for reports: static files and public media, from disk; no
        network, no other file."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            path = local_file(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.open("rb"), {"Content-Type": content_type})

    PlatformFiles.__module__ = __name__
    return PlatformFiles


def __getattr__(name: str) -> Any:
    if name == "PlatformFiles":
        return platform_files_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_pdf(html: str) -> bytes:
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=pdf_base_url(), url_fetcher=platform_files_class()()
    )
    return document.write_pdf()
