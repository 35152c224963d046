from django.core.management.base import BaseCommand, CommandParser

from urna.site.architecture import ARCHITECTURE_DOC, diagram, doc_write


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Print (or --write into docs/architecture.md) the layer diagram of pyproject.toml."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help=f"update {ARCHITECTURE_DOC}")

    def handle(self, *args: object, write: bool = False, **options: object) -> None:
        if not write:
            self.stdout.write(diagram())
        elif doc_write():
            self.stdout.write(f"{ARCHITECTURE_DOC} updated")
        else:
            self.stdout.write(f"{ARCHITECTURE_DOC} already up to date")
