from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from urna.api import api

admin.site.site_header = "Urna · Oficina del equipo"
admin.site.site_title = "Urna"
admin.site.index_title = "Administración"

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/admin/", admin.site.urls),
    path("cuenta/", include("urna.accounts.urls")),
    path("staff/", include("urna.site.staff_urls")),
    path("ejercicios/", include("urna.exercises.urls")),
    path("consultas/", include("urna.queries.urls")),
    path("datos-personales/", include("urna.contacts.urls")),
    path("channels/", include("urna.channels.urls")),
    path("analisis/", include("urna.insights.urls")),
    path("matriz/", include("urna.results.urls")),
    path("campanas/", include("urna.campaigns.urls")),
    path("l/", include("urna.messaging.urls")),
    path("", include("urna.opendata.urls")),
    path("informes/", include("urna.reports.urls")),
    path("indicadores/", include("urna.indicators.urls")),
    path("", include("urna.site.urls")),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
