"""Templates render every variable they can and never raise; the throttle hands out
consecutive slots across callers."""

import time

import pytest

from urna.messaging import throttle
from urna.messaging.rendering import render, template_errors, template_fields


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Hola {nombre} de {municipio}", "Hola Ana de Pasto"),
        ("Hola {nombre}, {apellido}", "Hola Ana, "),  # unknown: empty
        ("{nombre.__class__.__mro__}", ""),  # no attribute lookups
        ("{nombre[0]}", ""),  # no index lookups
        ("{nombre!r}", "Ana"),  # conversions ignored
        ("[{nombre:>20}]", "[Ana]"),  # format specs ignored
        ("{} {0}", "{} {0}"),  # mixed numbering cannot render: sent as written
        ("{}", ""),
        ("Llaves: {{ y }}", "Llaves: { y }"),
        ("Sin variables", "Sin variables"),
        ("Hola {nombre", "Hola {nombre"),  # unpaired: as written
    ],
)
def test_render_never_raises(template, expected):
    assert render(template, {"nombre": "Ana", "municipio": "Pasto"}) == expected


def test_html_rendering_escapes_values_but_not_the_template():
    assert render("<b>{nombre}</b>", {"nombre": "<i>&</i>"}, html=True) == (
        "<b>&lt;i&gt;&amp;&lt;/i&gt;</b>"
    )


def test_template_fields_and_errors():
    assert template_fields("Hola {nombre}: {enlace} {{x}}") == {"nombre", "enlace"}
    assert template_fields("Hola {nombre") == set()
    assert template_errors("Hola {nombre}") == ""
    assert template_errors("Hola {nombre") != ""
    assert template_errors("Hola }") != ""


def test_the_throttle_gives_consecutive_slots_to_consecutive_reservations(settings, tmp_path):
    settings.REDIS_URL = ""
    settings.RATELIMIT_PATH = tmp_path / "ratelimit.sqlite3"

    first = throttle.reserve("prov", 10, 20.0)  # half a second's worth
    second = throttle.reserve("prov", 10, 20.0)
    third = throttle.reserve("prov", 20, 20.0)
    other = throttle.reserve("other", 10, 20.0)

    assert first == 0.0
    assert 0.4 < second <= 0.5
    assert 0.9 < third <= 1.0
    assert other == 0.0  # each backend has its own clock
    assert (tmp_path / "outbox-throttle.sqlite3").exists()


def test_an_idle_backend_saves_up_no_burst(settings, tmp_path):
    settings.REDIS_URL = ""
    settings.RATELIMIT_PATH = tmp_path / "ratelimit.sqlite3"

    throttle.reserve("prov", 1, 20.0)
    time.sleep(0.2)

    assert throttle.reserve("prov", 1, 20.0) == 0.0
    assert 0.0 < throttle.reserve("prov", 1, 20.0) <= 0.05


def test_no_rate_means_no_wait():
    assert throttle.reserve("prov", 1000, 0) == 0.0


def test_the_rate_comes_from_the_dispatch_then_the_setting(settings):
    settings.MESSAGING_RATES = {"twilio": 100}

    assert throttle.rate_for("twilio", 5) == 5.0
    assert throttle.rate_for("twilio") == 100.0
    assert throttle.rate_for("file") == 0.0
    del settings.MESSAGING_RATES
    assert throttle.rate_for("twilio") == 0.0
