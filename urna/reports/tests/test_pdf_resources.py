"""The PDF report fetches nothing but the platform's own static files and public media: a
takeaway's Markdown image pointing at an internal address or at a file of the server is never
read (server-side request forgery)."""

import http.server
import io
import threading
from pathlib import Path

import pytest
from PIL import Image

from urna.opendata.tests.conftest import make_exercise, seed_contributions

pytestmark = pytest.mark.django_db

IMAGE = b"/Subtype /Image"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(national_entities):
    from urna.entities.models import Entity
    from urna.exercises.models import Exercise

    owner = Entity.objects.get(acronym="MINAGRICULTURA")
    exercise = make_exercise(owner=owner, slug="informe-seguro", status=Exercise.Status.RESULTS)
    seed_contributions(exercise)
    return exercise


def _png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (11, 79, 138)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def internal_server():
    """An internal HTTP service (a cloud metadata endpoint, an admin port) that counts visits."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(_png_bytes())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf_with_takeaways(exercise, body: str) -> bytes:
    from urna.exercises.services import markdown_render
    from urna.reports.models import ReportTakeaways
    from urna.reports.services import report_pdf_render

    ReportTakeaways.objects.update_or_create(
        exercise=exercise, defaults={"body": body, "body_html": markdown_render(body)}
    )
    return report_pdf_render(exercise)


def test_images_on_other_hosts_or_on_the_server_disk_are_never_fetched(
    published, internal_server, tmp_path
):
    port, hits = internal_server
    secret = _png(tmp_path / "fuera-de-media" / "secreto.png")
    body = "\n\n".join(
        [
            f"![metadatos](http://127.0.0.1:{port}/latest/meta-data/)",
            f"![local](http://localhost:{port}/admin.png)",
            f"![absoluta]({secret})",  # /tmp/…/secreto.png: a file:// URL against a file base
            f"![relativa](../../../../../../../..{secret})",
            "![etc](/etc/hostname)",
        ]
    )

    pdf = _pdf_with_takeaways(published, body)

    assert pdf.startswith(b"%PDF-")
    assert hits == []
    assert IMAGE not in pdf


def test_private_media_is_not_embedded_public_media_is(published, settings):
    _png(Path(settings.MEDIA_ROOT) / "queries" / "1" / "adjunto.png")
    _png(Path(settings.MEDIA_ROOT) / "ejercicios" / "2026" / "grafico.png")

    private = _pdf_with_takeaways(published, "![adjunto](/media/queries/1/adjunto.png)")
    public = _pdf_with_takeaways(published, "![grafico](/media/ejercicios/2026/grafico.png)")

    assert IMAGE not in private
    assert IMAGE in public


@pytest.mark.parametrize(
    "url",
    [
        "/media/../media/queries/1/adjunto.png",
        "/media/ejercicios/../queries/1/adjunto.png",
        "/media/ejercicios/%2e%2e/queries/1/adjunto.png",
        "/static/../../urna/settings.py",
        "/static/%2e%2e/%2e%2e/urna/settings.py",
        "/urna/settings.py",
        "https://otro.example/media/ejercicios/2026/grafico.png",
        "file:///etc/hostname",
        "data:image/png;base64,iVBORw0KGgo=",
    ],
)
def test_the_fetcher_refuses_everything_else(url, settings):
    from urna.reports.pdf import PlatformFiles, pdf_base_url

    _png(Path(settings.MEDIA_ROOT) / "queries" / "1" / "adjunto.png")
    fetcher = PlatformFiles()

    with pytest.raises(ValueError):
        fetcher.fetch(url if ":" in url else pdf_base_url() + url.lstrip("/"))


def test_the_fetcher_serves_static_files(settings):
    from urna.reports.pdf import PlatformFiles, pdf_base_url

    response = PlatformFiles().fetch(pdf_base_url() + "static/urna/urna.css")

    assert response.content_type == "text/css"
    assert b"{" in response.read()
    response.close()


def test_the_report_stylesheet_is_read_through_the_fetcher(published, monkeypatch):
    from urna.reports.pdf import PlatformFiles
    from urna.reports.services import report_pdf_render

    served, fetch = [], PlatformFiles.fetch

    def spy(self, url, headers=None):
        response = fetch(self, url, headers)
        served.append((url.rsplit("/", 1)[-1], response.content_type))
        return response

    monkeypatch.setattr(PlatformFiles, "fetch", spy)

    report_pdf_render(published)

    assert [(name.split(".")[0], kind) for name, kind in served] == [("report_pdf", "text/css")]
