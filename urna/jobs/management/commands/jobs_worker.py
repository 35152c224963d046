import signal

from django.core.management.base import BaseCommand

from urna.jobs.registry import autodiscover
from urna.jobs.services import run_pending, worker_loop


class Command(BaseCommand):
    help = "Run a background-job worker. Start as many as you like, on as many machines."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run due jobs, then exit.")
        parser.add_argument("--poll", type=float, default=None, help="Idle poll interval (s).")

    def handle(self, *args, **options):
        autodiscover()
        if options["once"]:
            self.stdout.write(f"{run_pending()} jobs run.")
            return
        stopping = {"flag": False}

        def request_stop(signum, frame):
            stopping["flag"] = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write("Urna worker started.")
        worker_loop(stop=lambda: stopping["flag"], poll_seconds=options["poll"])
        self.stdout.write("Urna worker stopped.")
