"""The CSV a person clicks on a dataset page opens in Excel with its accents (a UTF-8
byte-order mark); the data package's own resources stay without one, so they validate."""

import json
import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_first_csv_link_of_each_table_starts_with_a_byte_order_mark(client, published):
    page = client.get(f"/datos/ejercicios/{published.slug}/").content.decode()

    firsts = re.findall(r'<p><a href="([^"]+\.csv[^"]*)"', page)
    assert firsts
    for url in firsts:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200
        assert _body(response).startswith(BOM), url


def test_the_data_package_resources_have_no_byte_order_mark(client, published):
    package = json.loads(
        _body(client.get(f"/opendata/ejercicios/{published.slug}/datapackage.json"))
    )

    paths = [urlsplit(r["path"]).path for r in package["resources"] if r["format"] == "csv"]
    assert paths
    for path in paths:
        assert not _body(client.get(path)).startswith(BOM), path
