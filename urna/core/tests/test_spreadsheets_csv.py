"""The one CSV writer for downloads a person opens: a byte-order mark, safe cells."""

from urna.core.spreadsheets import csv_download, csv_lines


def test_csv_lines_start_with_the_byte_order_mark_and_neutralise_formulas():
    text = "".join(csv_lines([["texto", "n"], ["=1+1", -5], ["Bogotá", None]]))

    assert text == "\ufefftexto,n\r\n'=1+1,-5\r\nBogotá,\r\n"


def test_csv_download_is_a_private_attachment():
    response = csv_download([["a"], ["ñ"]], filename="datos.csv")

    body = b"".join(response.streaming_content)
    assert body == "\ufeffa\r\nñ\r\n".encode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="datos.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert "Cache-Control" not in csv_download([], filename="x.csv", private=False)
