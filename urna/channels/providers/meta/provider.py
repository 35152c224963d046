"""Meta: one webhook for the WhatsApp Cloud API (messages, statuses, replies), Facebook Page
feed comments and Instagram comments."""

from urna.channels.conversation import conversation_handle
from urna.channels.models import Provider
from urna.channels.providers.meta.handler import comment_handle
from urna.channels.providers.meta.sender import whatsapp_send
from urna.channels.providers.meta.signature import meta_verify
from urna.channels.registry import Integration, Source
from urna.core.channels import Channel

META = Integration(
    name="meta",
    sources=(
        Source(Provider.WHATSAPP, Channel.WHATSAPP, conversation_handle, send=whatsapp_send),
        Source(Provider.FACEBOOK, Channel.FACEBOOK, comment_handle),
        Source(Provider.INSTAGRAM, Channel.INSTAGRAM, comment_handle),
    ),
    verify=meta_verify,
    max_body=1024 * 1024,
    urls="urna.channels.providers.meta.urls",
)
