import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "id,texto,canal\n"
ROWS = [
    "La carretera de la vereda está llena de huecos y el puente se cayó",
    "Necesitamos placa huella en la vía terciaria, no podemos sacar la cosecha",
    "Los derrumbes tapan la vía en invierno y quedamos incomunicados",
    "El puesto de salud no tiene médico ni medicamentos",
    "La EPS no autoriza los tratamientos y faltan enfermeras",
    "Necesitamos una ambulancia, el hospital queda muy lejos",
    "Exigimos que arreglen la carretera y el puente de la vereda ya mismo",
    "Exigimos que arreglen la carretera y el puente de la vereda ya mismo. Firma: Ana",
]


def csv_text(rows=ROWS):
    return HEADER + "".join(f'{i + 1},"{t}",web\n' for i, t in enumerate(rows))


def run(path, tmp_path, **kwargs):
    out = tmp_path / "out.json"
    options = {"text_column": "texto", "out": str(out), "no_progress": True, **kwargs}
    call_command("analyse_csv", str(path), **options)
    return json.loads(out.read_text(encoding="utf-8"))


def test_utf8_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(csv_text(), encoding="utf-8")
    data = run(path, tmp_path, id_column="id", k=2)
    assert data["source"]["encoding"] == "utf-8-sig"
    assert data["statistics"]["contributions"] == 8
    assert len(data["themes"]) == 2
    # Eight rows are too few to judge clustering (test_themes does): every row has one theme.
    members = [i for t in data["themes"] for i in t["member_ids"]]
    assert sorted(members) == [str(i) for i in range(1, 9)]
    assert [sorted(g["member_ids"]) for g in data["duplicate_groups"]] == [["7", "8"]]
    assert all(1 <= len(t["quotes"]) <= 5 and t["label"] for t in data["themes"])


def test_bom_semicolons_and_case_insensitive_column(tmp_path):
    path = tmp_path / "b.csv"
    body = csv_text().replace(",", ";").replace('";web', '";web')
    path.write_bytes("\ufeff".encode() + body.encode("utf-8"))
    data = run(path, tmp_path, text_column="TEXTO", k=2)
    assert data["statistics"]["contributions"] == 8
    # Without --id-column the ids are the line numbers.
    assert sorted(i for t in data["themes"] for i in t["member_ids"]) == list(range(2, 10))


def test_latin1_file(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(csv_text().encode("latin-1"))
    data = run(path, tmp_path, id_column="id", k=2)
    assert data["source"]["encoding"] in {"cp1252", "latin-1"}
    quotes = " ".join(q["text"] for t in data["themes"] for q in t["quotes"])
    assert "médico" in quotes or "vía" in quotes or "huecos" in quotes


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No existe el archivo"):
        run(tmp_path / "nada.csv", tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="está vacío"):
        run(path, tmp_path)


def test_header_only(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(CommandError, match="no tiene filas de datos"):
        run(path, tmp_path)


def test_wrong_column_lists_available_ones(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(csv_text(), encoding="utf-8")
    with pytest.raises(CommandError, match="Columnas disponibles: «id», «texto», «canal»"):
        run(path, tmp_path, text_column="opinion")
    with pytest.raises(CommandError, match="«ident»"):
        run(path, tmp_path, id_column="ident")


def test_binary_garbage_fails_clearly(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(CommandError, match="No se pudo leer el archivo como texto"):
        run(path, tmp_path)


def test_bad_k(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(csv_text(), encoding="utf-8")
    with pytest.raises(CommandError, match="--k"):
        run(path, tmp_path, k=0)
