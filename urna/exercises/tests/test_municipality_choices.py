"""The participation form's municipality list reads in alphabetical order with accents folded:
"Cáceres" comes before "Caicedo" and "Copacabana", not after every plain "C"."""

from urna.core.text import fold
from urna.exercises import forms


def test_municipalities_and_departments_sort_with_accents_folded(divipola):
    forms._municipality_choices.clear()  # built once per process: rebuild from this database

    groups = dict(forms.municipality_choices()[1:])
    names = [name for _code, name in groups["Antioquia"]]
    departments = list(groups)

    assert names.index("Cáceres") < names.index("Caicedo") < names.index("Copacabana")
    assert names == sorted(names, key=fold)
    assert departments == sorted(departments, key=fold)
