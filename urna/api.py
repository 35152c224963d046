"""The django-ninja API object: every app's router is mounted here under /api/v1."""

from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from urna.accounts.api_auth import PUBLIC_AUTH
from urna.core.errors import DomainError, validation_errors_es

api = NinjaAPI(
    title="Urna API",
    version="1",
    description=(
        "API pública de Urna: ejercicios de participación, aportes ciudadanos, consultas al "
        "gobierno (PQRSD), territorio y entidades. Los mensajes de error están en español."
    ),
    urls_namespace="api",
    # Public endpoints: open to all, CSRF-checked for a logged-in session (staff ones override).
    auth=PUBLIC_AUTH,
)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, validation_errors_es(exc.errors), status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja raises HttpError(400, "Cannot parse request body") for a malformed body.
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        body = {"code": "malformed", "detail": _("El cuerpo de la petición no es un JSON válido.")}
    elif isinstance(exc, AuthenticationError):  # no session and no token
        body = {
            "code": "unauthenticated",
            "detail": _(
                "Inicie sesión como personal de una entidad o envíe un token de acceso "
                "(Authorization: Bearer …)."
            ),
        }
        response = api.create_response(request, body, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    elif exc.status_code == 403 and str(exc) == "CSRF check Failed":  # a session POST
        body = {
            "code": "csrf",
            "detail": _(
                "Falta el token CSRF de la sesión. Envíe la cabecera X-CSRFToken o use un token "
                "de acceso."
            ),
        }
    else:
        body = {"code": "error", "detail": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if exc.status == 401:
        response["WWW-Authenticate"] = f'Bearer error="{exc.code}"'
    return response


@api.exception_handler(Exception)
def _unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Anything no handler above expects: the API's JSON error shape rather than Django's HTML
    # page, without the internal message; logged with its traceback the way Django logs a 500.
    body = {
        "code": "server_error",
        "detail": _("Ocurrió un error interno. Intente de nuevo en unos momentos."),
    }
    response = api.create_response(request, body, status=500)
    log_response(
        "%s: %s",
        response.reason_phrase,
        request.path,
        response=response,
        request=request,
        exception=exc,
    )
    return response


class PingOut(Schema):
    status: str
    version: str


@api.get("/ping", response=PingOut, summary="Comprobar que la API responde", tags=["sistema"])
def ping(request: HttpRequest) -> dict[str, str]:
    """No database, no cache: for uptime monitors and load balancers (``/healthz`` checks the
    database, cache and queue too), and the trivial endpoint of ``bench/intake.py``."""
    return {"status": "ok", "version": api.version}


api.add_router("/territories", "urna.territory.api.router")
api.add_router("/entities", "urna.entities.api.router")
api.add_router("", "urna.exercises.api.router")
api.add_router("", "urna.exercises.replies_api.router")
api.add_router("", "urna.queries.api.router")
api.add_router("", "urna.results.api.router")
api.add_router("", "urna.contacts.api.router")
api.add_router("", "urna.campaigns.api.router")
api.add_router("", "urna.deliberation.api.router")
api.add_router("/social-accounts", "urna.socialaccounts.api.router")
api.add_router("/surveys", "urna.surveys.api.router")
api.add_router("/indicators", "urna.indicators.api.router")
api.add_router("/meetings", "urna.meetings.api.router")
api.add_router("/network", "urna.network.api.router")
