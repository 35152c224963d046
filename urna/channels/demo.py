"""Demo data for the channels: the periodic sweep that re-processes messages a crash left behind."""

from urna.channels.services import sweep_schedule


def demo_load(*, stdout) -> None:
    sweep_schedule()
    stdout.write("channels: periodic sweep scheduled\n")
