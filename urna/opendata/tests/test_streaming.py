import tracemalloc
from datetime import timedelta

import pytest

from urna.opendata.writers import CHUNK_BYTES, collect, csv_chunks, zip_chunks

pytestmark = pytest.mark.django_db


def _bulk(exercise, n, start=0):
    from urna.exercises.models import Contribution

    text = "Opinión sobre vías terciarias, riego y crédito para pequeños productores. " * 2
    Contribution.objects.bulk_create(
        (
            Contribution(
                exercise=exercise,
                kind="opinion",
                text=f"{text} #{i}",
                public_text=f"{text} #{i}",
                channel="sms",
                municipality_id="17001",
                department_id="17",
                created_at=exercise.opens_at + timedelta(minutes=i),
                receipt=f"UCBULK{i:08d}",
            )
            for i in range(start, start + n)
        ),
        batch_size=2000,
    )


def _peak_while_streaming(client, url) -> tuple[int, int, int]:
    response = client.get(url)
    assert response.streaming
    tracemalloc.start()
    total = chunks = 0
    for chunk in response.streaming_content:
        total += len(chunk)
        chunks += 1
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return total, chunks, peak


def test_csv_download_streams_in_constant_memory(client, published, monkeypatch):
    # Small database batches, so that both sizes below span many of them.
    monkeypatch.setattr("urna.opendata.table.CHUNK_SIZE", 500)
    url = "/opendata/ejercicios/desarrollo-rural/aportes.csv"
    _bulk(published, 3_000)
    small_total, _chunks, small_peak = _peak_while_streaming(client, url)
    _bulk(published, 9_000, start=3_000)

    total, chunks, peak = _peak_while_streaming(client, url)

    assert total > 3.5 * small_total and total > 2_000_000
    assert chunks >= total // (2 * CHUNK_BYTES)  # chunks count characters; UTF-8 may double
    # Four times the rows, the same memory: what is held is a fetch batch and a chunk.
    assert peak < 1.2 * small_peak
    assert peak < 2_000_000  # a 500-row batch, a 64 kB chunk, small caches


def test_chunks_are_bounded():
    rows = ((i, "x" * 100) for i in range(10_000))

    sizes = [len(c) for c in csv_chunks(["id", "texto"], rows)]

    assert len(sizes) > 10
    assert max(sizes) < CHUNK_BYTES + 256 * 110  # at most one batch of 256 rows over


def test_zip_members_are_streamed_not_buffered():
    def member():
        for _ in range(200):
            yield b"a,b,c\r\n" * 2000  # 2.8 MB in all, compressible

    chunks = list(zip_chunks([("data/big.csv", member())]))

    assert len(chunks) > 1
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(collect(chunks)))
    assert archive.read("data/big.csv") == b"a,b,c\r\n" * 400_000
