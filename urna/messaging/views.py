from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from urna.messaging.links import InvalidLink, link_click, link_destination


@never_cache
@require_http_methods(["GET", "HEAD"])
def link_redirect(request: HttpRequest, token: str) -> HttpResponseRedirect:
    """A tracked link of a message: count the click, then 302 to the link Urna signed. Mail
    scanners that only check a link (HEAD) are redirected without counting a click."""
    try:
        if request.method == "HEAD":
            _, url = link_destination(token)
        else:
            url = link_click(token=token)
    except InvalidLink:
        raise Http404 from None
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response
