import pytest

from urna.surveys import services
from urna.surveys.microdata import microdata_rows, microdata_schema
from urna.surveys.tests.conftest import SHORT_PATH

pytestmark = pytest.mark.django_db


def test_small_cells_are_generalised_and_free_text_left_out(survey):
    # Five men 65+ of Antioquia (a cell of 5 stays), one woman 18-24 of Caldas (suppressed).
    for n in range(5):
        services.response_submit(survey=survey, channel="ussd", values=SHORT_PATH, key=f"m{n}")
    woman = [("departamento", "17"), ("grupo_edad", "1"), ("sexo", "1"), ("conoce_urna", "2")]
    services.response_submit(survey=survey, channel="ussd", values=woman, key="w")
    header, rows = microdata_rows(survey)
    rows = list(rows)
    assert header[:5] == ["fila", "departamento", "grupo_edad", "sexo", "peso"]
    assert "comentario" not in header and "departamento" not in header[5:]
    assert [r[1:4] for r in rows[:5]] == [["05", "65_mas", "hombre"]] * 5
    assert rows[5][1:4] == ["", "", ""]


def test_the_schema_follows_the_header(survey):
    header, _rows = microdata_rows(survey)
    schema = microdata_schema(survey)
    assert [c[0] for c in schema] == header
    types = {name: (kind, enum) for name, kind, _description, enum in schema}
    assert types["conoce_urna"] == ("string", ("si", "no"))
    assert types["recomendaria"] == ("integer", None)
    assert types["peso"] == ("number", None)


def test_a_weight_cannot_give_back_a_suppressed_value(survey):
    # Raked by sex: women weigh 3, men 1. The one woman of Caldas 18-24 and a man of Caldas
    # 18-24 share the published cell ("17", "", "") after suppression: a raw weight of 3 would
    # say "woman".
    man = [("departamento", "17"), ("grupo_edad", "1"), ("sexo", "2"), ("conoce_urna", "2")]
    woman = [("departamento", "17"), ("grupo_edad", "1"), ("sexo", "1"), ("conoce_urna", "2")]
    services.response_submit(survey=survey, channel="ussd", values=man, key="m")
    services.response_submit(survey=survey, channel="ussd", values=woman, key="w")
    survey.responses.filter(key="m").update(weight=1.0)
    survey.responses.filter(key="w").update(weight=3.0)

    _header, rows = microdata_rows(survey)

    assert [(r[1:4], r[4]) for r in rows] == [(["", "", ""], 2.0), (["", "", ""], 2.0)]
