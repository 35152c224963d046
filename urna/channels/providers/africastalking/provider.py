"""Africa's Talking SMS: incoming messages, delivery reports, replies by SMS."""

from urna.channels.conversation import conversation_handle
from urna.channels.models import Provider
from urna.channels.providers.africastalking.sender import africastalking_send
from urna.channels.providers.africastalking.signature import africastalking_verify, callback_query
from urna.channels.registry import Integration, Source
from urna.core.channels import Channel

AFRICASTALKING = Integration(
    name=Provider.AFRICASTALKING,
    sources=(
        Source(Provider.AFRICASTALKING, Channel.SMS, conversation_handle, send=africastalking_send),
    ),
    verify=africastalking_verify,
    max_body=32 * 1024,
    urls="urna.channels.providers.africastalking.urls",
    callback_query=callback_query,
)
