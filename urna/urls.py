import posixpath

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.static import serve

from urna.api import api

admin.site.site_header = "Urna · Oficina del equipo"
admin.site.site_title = "Urna"
admin.site.index_title = "Administración"


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says: send them to Urna's mark (its
    static address resolved per request, so a hashed name is read from the manifest then)."""
    return HttpResponsePermanentRedirect(static("urna/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/admin/", admin.site.urls),
    path("cuenta/", include("urna.accounts.urls")),
    path("staff/", include("urna.site.staff_urls")),
    path("ejercicios/", include("urna.exercises.urls")),
    path("ejercicios/", include("urna.deliberation.urls")),
    path("consultas/", include("urna.queries.urls")),
    path("datos-personales/", include("urna.contacts.urls")),
    path("channels/", include("urna.channels.urls")),
    path("analisis/", include("urna.insights.urls")),
    path("matriz/", include("urna.results.urls")),
    path("campanas/", include("urna.campaigns.urls")),
    path("l/", include("urna.messaging.urls")),
    path("redes-oficiales/", include("urna.socialaccounts.urls")),
    path("encuestas/", include("urna.surveys.urls")),
    path("encuentros/", include("urna.meetings.urls")),
    path("red/", include("urna.network.urls")),
    path("", include("urna.opendata.urls")),
    path("informes/", include("urna.reports.urls")),
    path("indicadores/", include("urna.indicators.urls")),
    path("", include("urna.ops.urls")),
    path("", include("urna.site.urls")),
]


def media_public(request, path: str):
    """Development only: the public documents under MEDIA_ROOT; uploaded contact lists
    (``imports/``) are private however the path is spelled."""
    if posixpath.normpath(path).lstrip("/").split("/", 1)[0] == "imports":
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", media_public))
