"""Email: the participation mailbox, read by ``manage.py channels_fetch_mail`` (IMAP or Maildir).
Replies go through the outbox's email backend (SMTP), not through a provider of their own."""

from urna.channels.models import Provider
from urna.channels.providers.email.handler import email_handle
from urna.channels.registry import Integration, Source
from urna.core.channels import Channel

EMAIL = Integration(
    name=Provider.EMAIL, sources=(Source(Provider.EMAIL, Channel.EMAIL, email_handle),)
)
