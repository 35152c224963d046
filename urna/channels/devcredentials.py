"""Provider credentials, with harmless development values when a variable is unset.

In development and test (``URNA_ENV``) an unset provider variable means "use the development
value below", so the webhooks can be exercised locally with the providers' real signing schemes.
Anywhere else (production, but also a staging or demo site reachable from the internet) an unset
credential means the endpoint refuses every request (403): these values are published in the
repository, so anyone could sign with them. A value set in the environment always wins.

``python -m urna.channels.devcredentials`` prints the development value of every unset variable
(``bin/serve`` / ``make run`` call it at start-up).
"""

import hashlib
import hmac
import os
import sys

from django.conf import settings

# The only environments where the published development values may stand in for a credential.
DEV_ENVIRONMENTS = frozenset({"development", "test"})

DEV_VALUES = {
    "TWILIO_AUTH_TOKEN": "dev-twilio-auth-token-not-secret",
    "AFRICASTALKING_USERNAME": "sandbox",
    "AFRICASTALKING_API_KEY": "dev-africastalking-api-key-not-secret",
    "META_APP_SECRET": "dev-meta-app-secret-not-secret",
    "META_VERIFY_TOKEN": "dev-meta-verify-token",
    "WHATSAPP_TOKEN": "dev-whatsapp-token-not-secret",
}


def credential(name: str) -> str | None:
    """The configured value, the development value in development and test, or None."""
    value = getattr(settings, name, "") or ""
    if value:
        return value
    if settings.URNA_ENV in DEV_ENVIRONMENTS:
        return DEV_VALUES[name]
    return None


def africastalking_callback_token(api_key: str) -> str:
    """The secret that Africa's Talking callback URLs carry (``?token=``).

    Africa's Talking does not sign its callbacks, so the callback URLs registered in its
    dashboard carry this token, derived from the API key so that there is no extra secret to
    manage; rotating the API key rotates it.
    """
    digest = hmac.new(api_key.encode(), b"urna-africastalking-callback", hashlib.sha256)
    return digest.hexdigest()[:32]


def at_token() -> str | None:
    api_key = credential("AFRICASTALKING_API_KEY")
    return africastalking_callback_token(api_key) if api_key else None


def unset_lines(environ: dict[str, str] | None = None) -> list[str]:
    environ = dict(os.environ if environ is None else environ)
    lines = [
        f"{name}={value}  (development value; set {name} to override)"
        for name, value in DEV_VALUES.items()
        if not environ.get(name)
    ]
    if not environ.get("AFRICASTALKING_API_KEY"):
        token = africastalking_callback_token(DEV_VALUES["AFRICASTALKING_API_KEY"])
        lines.append(f"Africa's Talking callback URLs end in ?token={token}")
    return lines


def main() -> None:
    if os.environ.get("URNA_ENV", "development") not in DEV_ENVIRONMENTS:
        return
    for line in unset_lines():
        sys.stdout.write(f"channels: {line}\n")


if __name__ == "__main__":
    main()
