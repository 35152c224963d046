from urna.territory.services import divipola_load


def demo_load(*, stdout) -> None:
    result = divipola_load()
    stdout.write(f"territory: {result.changed} DIVIPOLA rows created or updated")
