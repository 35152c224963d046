"""Fixtures of the survey tests: a manager of the Ministry of Agriculture, staff of another
entity, and the perception survey template imported and opened."""

from pathlib import Path

import pytest

from urna.accounts.models import Role
from urna.surveys import services
from urna.surveys.form import form_of
from urna.surveys.xlsform import xlsform_read

TEMPLATE = Path(__file__).resolve().parents[1] / "data" / "percepcion.xlsx"


@pytest.fixture
def manager(agriculture, make_staff):
    return make_staff(agriculture, Role.MANAGER, username="gestora")


@pytest.fixture
def outsider(education, make_staff):
    return make_staff(education, Role.MANAGER, username="otra-entidad")


@pytest.fixture
def survey(agriculture, manager):
    with TEMPLATE.open("rb") as handle:
        created = services.survey_import(
            entity=agriculture, file=handle, filename="percepcion.xlsx", by=manager
        )
    return services.survey_transition(survey=created, action="open", by=manager)


@pytest.fixture
def form(survey):
    return form_of(survey)


@pytest.fixture
def spec():
    with TEMPLATE.open("rb") as handle:
        return xlsform_read(handle)


# The answers of a citizen who knows and uses Urna, as typed on a phone (one per question).
FULL_PATH = [
    ("departamento", "17"),  # Caldas (DIVIPOLA code)
    ("grupo_edad", "2"),
    ("sexo", "1"),
    ("conoce_urna", "1"),
    ("como_conocio", "2 3"),
    ("usa_urna", "1"),
    ("canales", "1 2 4"),
    ("frecuencia", "1"),
    ("satisfaccion_general", "4"),
    ("satisfaccion_canal", "5 4 3"),
    ("recomendaria", "9"),
    ("prioridades", "2 1 3"),
    ("ultima_vez", "15/03/2026"),
    ("comentario", "-"),
]
# Who does not know Urna: every later section is skipped.
SHORT_PATH = [
    ("departamento", "Antioquia"),
    ("grupo_edad", "6"),
    ("sexo", "2"),
    ("conoce_urna", "2"),
]
