"""What the providers' senders share: the HTTP timeout, the error, and what of a provider's error
answer may be logged."""

import requests

TIMEOUT = (5, 20)


class ProviderError(RuntimeError):
    pass


def error_code(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    # Only the provider's error code: its message may quote the citizen's number.
    error = body.get("error") if isinstance(body.get("error"), dict) else body
    return f"code {error.get('code', '?')}" if isinstance(error, dict) else ""
