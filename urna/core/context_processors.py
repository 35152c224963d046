from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """What every page may name: the site, and the numbers citizens write to without internet
    (``URNA_SMS_SHORT_CODE``, ``URNA_USSD_CODE``, ``URNA_WHATSAPP_NUMBER``)."""
    whatsapp = settings.URNA_WHATSAPP_NUMBER
    return {
        "SITE_NAME": "Urna",
        "PRODUCTION": settings.PRODUCTION,
        "SMS_SHORT_CODE": settings.URNA_SMS_SHORT_CODE,
        "USSD_CODE": settings.URNA_USSD_CODE,
        "WHATSAPP_NUMBER": whatsapp,
        # wa.me takes the number in digits only, with its country code.
        "WHATSAPP_LINK": "https://wa.me/" + "".join(c for c in whatsapp if c.isdigit()),
    }
