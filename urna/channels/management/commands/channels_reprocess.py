"""Process inbound messages left ``received`` (after a crash) and, with --failed, retry failed ones.

manage.py channels_reprocess            # now, in this process
manage.py channels_reprocess --enqueue  # schedule a drain job for the workers
manage.py channels_reprocess --schedule # seed the periodic sweep (idempotent)
"""

from django.core.management.base import BaseCommand

from urna.channels.models import InboundMessage
from urna.channels.services import inbound_process_pending, inbound_retry, sweep_schedule
from urna.channels.tasks import drain


class Command(BaseCommand):
    help = "Process inbound channel messages left received (and, with --failed, failed ones)."

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="Also retry failed messages.")
        parser.add_argument("--enqueue", action="store_true", help="Leave it to the workers.")
        parser.add_argument("--schedule", action="store_true", help="Seed the periodic sweep.")

    def handle(self, *args, **options):
        if options["schedule"]:
            sweep_schedule()
            self.stdout.write("Sweep scheduled.")
            return
        if options["enqueue"]:
            drain.enqueue(unique_key="channels:drain:manual")
            self.stdout.write("Drain job queued.")
            return
        retried = 0
        if options["failed"]:
            for message in InboundMessage.objects.filter(status=InboundMessage.Status.FAILED):
                inbound_retry(message=message)
                retried += 1
        done = inbound_process_pending()
        self.stdout.write(f"{done} received and {retried} failed messages processed.")
