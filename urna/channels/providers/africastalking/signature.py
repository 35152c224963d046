"""Africa's Talking does not sign its callbacks (its documentation describes plain form POSTs
for incoming messages, USSD and delivery reports): the callback URLs registered in its
dashboard carry a secret ``?token=``, derived from the API key (see ``devcredentials``) and
compared in constant time. USSD callbacks are checked the same way."""

import hmac

from django.http import HttpRequest

from urna.channels.devcredentials import at_token


def africastalking_verify(request: HttpRequest) -> str | None:
    """None when the request carries the callback token; otherwise the reason it does not."""
    expected = at_token()
    if not expected:
        return "not configured"
    given = request.GET.get("token", "")
    if not given:
        return "missing token"
    if not hmac.compare_digest(expected.encode(), given.encode()):
        return "bad token"
    return None


def callback_query() -> str:
    """What the callback URLs registered in the dashboard end in."""
    return f"?token={at_token() or '<set AFRICASTALKING_API_KEY>'}"
