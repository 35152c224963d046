"""Open data publishes the contribution text with names and street addresses masked too, not
only phones, emails and numbers (issue #12)."""

import io
import zipfile

import pytest

from urna.exercises.models import Contribution

pytestmark = pytest.mark.django_db

SLUG = "desarrollo-rural"
TEXTS = [
    "Soy Juan Carlos Pérez Rodríguez, cédula 1053778899, vivo en la Calle 23 #45-12 barrio La "
    "Enea, escríbanme a juan.perez@gmail.com o al 320 555 0147",
    "Me llamo Ana Lucía Restrepo y el subsidio de $1.500.000 pesos no llegó.",
]
SECRETS = ("Juan Carlos", "Pérez", "1053778899", "Calle 23", "juan.perez", "0147", "Ana Lucía")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_names_and_addresses_never_reach_the_csv_or_the_zip(client, published):
    for n, text in enumerate(TEXTS):
        Contribution.objects.create(
            exercise=published, kind="opinion", text=text, channel="api", receipt=f"UCPII{n:05d}"
        )

    csv_text = _body(client.get(f"/opendata/ejercicios/{SLUG}/aportes.csv")).decode()
    archive = zipfile.ZipFile(io.BytesIO(_body(client.get(f"/opendata/ejercicios/{SLUG}.zip"))))
    zipped = "".join(archive.read(name).decode() for name in archive.namelist())

    for output in (csv_text, zipped):
        assert "Soy [nombre], cédula [documento], vivo en la [dirección] barrio" in output
        assert "Me llamo [nombre] y el subsidio de $1.500.000 pesos no llegó." in output
        assert all(secret not in output for secret in SECRETS)
