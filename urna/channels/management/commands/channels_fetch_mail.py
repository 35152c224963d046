"""Read the participation mailbox (IMAP or a Maildir) and turn each new email into a
contribution or a query, replying by email with the receipt.

    manage.py channels_fetch_mail --maildir /var/mail/urna
    manage.py channels_fetch_mail --imap   # URNA_IMAP_HOST, URNA_IMAP_USER, URNA_IMAP_PASSWORD,
                                           # URNA_IMAP_FOLDER (INBOX), URNA_IMAP_PORT (993)

Each email is stored raw before it is processed; a message read twice stores nothing new. With
IMAP, a message is flagged \\Seen only after it has been stored.
"""

import contextlib
import imaplib
import mailbox
import os

from django.core.management.base import BaseCommand, CommandError

from urna.channels.providers.email.handler import mail_receive


class Command(BaseCommand):
    help = "Fetch the participation mailbox (IMAP or Maildir) and process each new email."

    def add_arguments(self, parser):
        parser.add_argument("--maildir", help="Path of a Maildir to read (messages in new/).")
        parser.add_argument("--imap", action="store_true", help="Read the IMAP mailbox.")
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, **options):
        if options["maildir"]:
            count = self._maildir(options["maildir"], options["limit"])
        elif options["imap"]:
            count = self._imap(options["limit"])
        else:
            raise CommandError("Give --maildir PATH or --imap.")
        self.stdout.write(f"{count} emails read.")

    def _maildir(self, path: str, limit: int) -> int:
        box = mailbox.Maildir(path, factory=None, create=False)
        count = 0
        for key in list(box.iterkeys())[:limit]:
            message = box.get_message(key)
            if "S" in message.get_flags():
                continue
            mail_receive(box.get_bytes(key))
            message.add_flag("S")
            message.set_subdir("cur")
            box[key] = message
            count += 1
        return count

    def _imap(self, limit: int) -> int:
        host = os.environ.get("URNA_IMAP_HOST", "")
        if not host:
            raise CommandError("Set URNA_IMAP_HOST, URNA_IMAP_USER and URNA_IMAP_PASSWORD.")
        client = imaplib.IMAP4_SSL(host, int(os.environ.get("URNA_IMAP_PORT", "993")))
        count = 0
        try:
            client.login(
                os.environ.get("URNA_IMAP_USER", ""), os.environ.get("URNA_IMAP_PASSWORD", "")
            )
            client.select(os.environ.get("URNA_IMAP_FOLDER", "INBOX"))
            _status, data = client.uid("search", None, "UNSEEN")
            for uid in (data[0] or b"").split()[:limit]:
                _status, parts = client.uid("fetch", uid, "(BODY.PEEK[])")
                raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
                if raw is None:
                    continue
                mail_receive(raw)
                client.uid("store", uid, "+FLAGS", "(\\Seen)")
                count += 1
        finally:
            with contextlib.suppress(imaplib.IMAP4.error):
                client.logout()
        return count
