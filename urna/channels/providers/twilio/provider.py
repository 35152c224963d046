"""Twilio Programmable Messaging: incoming SMS, status callbacks, replies by SMS."""

from urna.channels.conversation import conversation_handle
from urna.channels.models import Provider
from urna.channels.providers.twilio.sender import twilio_send
from urna.channels.providers.twilio.signature import twilio_verify
from urna.channels.registry import Integration, Source
from urna.core.channels import Channel

TWILIO = Integration(
    name=Provider.TWILIO,
    sources=(Source(Provider.TWILIO, Channel.SMS, conversation_handle, send=twilio_send),),
    verify=twilio_verify,
    max_body=32 * 1024,
    urls="urna.channels.providers.twilio.urls",
)
