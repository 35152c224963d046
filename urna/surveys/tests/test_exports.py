"""Results downloads: the estimates and the anonymised microdata as CSV (UTF-8 with BOM) and
XLSX, public once published, for the entity's staff before."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from urna.surveys import services
from urna.surveys.results import results_compute

from .conftest import SHORT_PATH

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(survey):
    for i in range(6):
        services.response_submit(survey=survey, channel="ussd", values=SHORT_PATH, key=f"k{i}")
    results_compute(survey_id=survey.pk)
    return survey


def _url(survey, what, fmt):
    return reverse("surveys:export", args=[survey.slug, what, fmt])


def test_estimates_csv_starts_with_a_bom_and_has_a_row_per_option(client, answered, manager):
    assert client.get(_url(answered, "resultados", "csv")).status_code == 404
    client.force_login(manager)
    page = client.get(_url(answered, "resultados", "csv"))
    text = b"".join(page.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffpregunta,texto_pregunta,tipo,fila,opcion")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    no = next(r for r in rows if r["pregunta"] == "conoce_urna" and r["opcion"] == "no")
    assert (no["estimacion"], no["n_sin_ponderar"], no["efecto_diseno"]) == ("1.0", "6", "1.0")
    assert 'filename="percepcion-resultados.csv"' in page["Content-Disposition"]


def test_microdata_xlsx_is_public_once_published(client, answered):
    answered.published = True
    answered.save(update_fields=["published"])
    page = client.get(_url(answered, "microdatos", "xlsx"))
    sheet = load_workbook(io.BytesIO(page.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("fila", "departamento", "grupo_edad", "sexo", "peso")
    assert len(rows) == 7
    assert "comentario" not in rows[0]  # free text never leaves
    assert client.get(_url(answered, "otra-cosa", "csv")).status_code == 404
