"""Africa's Talking USSD: a synchronous provider. Its callback answers each step with the next
screen, so it has its own view (``views.py``) instead of the shared webhook; submissions are
processed inline, or by the drain after a crash."""

from urna.channels.models import Provider
from urna.channels.providers.africastalking.signature import africastalking_verify, callback_query
from urna.channels.registry import Integration, Source
from urna.channels.ussd.handler import ussd_handle
from urna.core.channels import Channel

USSD = Integration(
    name=Provider.USSD,
    sources=(Source(Provider.USSD, Channel.USSD, ussd_handle),),
    verify=africastalking_verify,
    max_body=4096,
    urls="urna.channels.ussd.urls",
    callback_query=callback_query,
)
