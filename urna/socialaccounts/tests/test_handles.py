"""Handles normalised and profile addresses read in the forms people paste them."""

import pytest

from urna.core.errors import InvalidInput
from urna.socialaccounts.handles import (
    Profile,
    handle_normalise,
    profile_parse,
    profile_url_check,
    profile_url_for,
    url_key,
)


@pytest.mark.parametrize(
    ("network", "raw", "stored"),
    [
        ("x", "@MinAgricultura", "minagricultura"),
        ("x", "  minagricultura ", "minagricultura"),
        ("instagram", "@Gob.Caldas", "gob.caldas"),
        ("facebook", "MinAgricultura", "minagricultura"),
        ("youtube", "@MinEducacion", "mineducacion"),
        ("youtube", "UCabcdefghijklmnopqrstuV", "UCabcdefghijklmnopqrstuV"),  # a channel id
        ("tiktok", "@GobCaldas", "gobcaldas"),
        ("telegram", "@CanalOficial", "canaloficial"),
        ("whatsapp", "0029VaAbCdEfGh12345", "0029VaAbCdEfGh12345"),  # case-sensitive id
        ("other", "Canal-Oficial", "Canal-Oficial"),
    ],
)
def test_handles_are_stored_without_at_and_lower_case_where_case_does_not_matter(
    network, raw, stored
):
    assert handle_normalise(network, raw) == stored


@pytest.mark.parametrize(
    ("network", "raw"),
    [("x", "una cuenta"), ("x", "muy_largo_para_x_1234"), ("instagram", "a/b"), ("x", "")],
)
def test_impossible_handles_are_refused(network, raw):
    with pytest.raises(InvalidInput):
        handle_normalise(network, raw)


@pytest.mark.parametrize(
    "text",
    [
        "https://www.facebook.com/MinAgricultura",
        "https://www.facebook.com/MinAgricultura/",
        "http://facebook.com/MinAgricultura",
        "facebook.com/MinAgricultura",
        "www.facebook.com/MinAgricultura?ref=share&mibextid=abc",
        "m.facebook.com/MinAgricultura/",
        "https://web.facebook.com/MinAgricultura#posts",
        "https://es-la.facebook.com/MinAgricultura/photos/",
        "HTTPS://WWW.FACEBOOK.COM/minagricultura",
    ],
)
def test_the_forms_of_a_facebook_address(text):
    assert profile_parse(text) == Profile("facebook", "minagricultura")


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        ("https://x.com/MinAgricultura", Profile("x", "minagricultura")),
        ("twitter.com/MinAgricultura/status/1790000000000", Profile("x", "minagricultura")),
        ("mobile.twitter.com/minagricultura?s=20", Profile("x", "minagricultura")),
        ("https://www.instagram.com/gob.caldas/", Profile("instagram", "gob.caldas")),
        ("instagram.com/gob.caldas?igsh=MWZ4", Profile("instagram", "gob.caldas")),
        ("https://www.youtube.com/@MinEducacion/videos", Profile("youtube", "mineducacion")),
        (
            "youtube.com/channel/UCabcdefghijklmnopqrstuV",
            Profile("youtube", "UCabcdefghijklmnopqrstuV"),
        ),
        ("m.youtube.com/@mineducacion?si=x", Profile("youtube", "mineducacion")),
        ("https://www.tiktok.com/@gobcaldas?lang=es", Profile("tiktok", "gobcaldas")),
        (
            "https://whatsapp.com/channel/0029VaAbCdEfGh12345",
            Profile("whatsapp", "0029VaAbCdEfGh12345"),
        ),
        ("t.me/CanalOficial", Profile("telegram", "canaloficial")),
        ("https://t.me/s/CanalOficial", Profile("telegram", "canaloficial")),
        ("flickr.com/photos/minagricultura/albums", Profile("flickr", "minagricultura")),
        (
            "https://www.linkedin.com/company/minagricultura/",
            Profile("linkedin", "minagricultura"),
        ),
        ("https://www.facebook.com/profile.php?id=100064", Profile("facebook", "100064")),
    ],
)
def test_the_forms_of_other_networks_addresses(text, profile):
    assert profile_parse(text) == profile


@pytest.mark.parametrize(
    "text",
    [
        "",
        "@minagricultura",
        "minagricultura",
        "https://www.facebook.com/",
        "https://www.facebook.com/sharer.php?u=x",
        "https://www.instagram.com/p/Cabc123/",
        "https://www.youtube.com/watch?v=abc",
        "https://youtu.be/abc",
        "https://ejemplo.gov.co/minagricultura",
        "javascript:alert(1)",
    ],
)
def test_what_is_not_an_account_address(text):
    assert profile_parse(text) is None


def test_a_profile_url_must_be_the_networks_and_name_the_account():
    assert (
        profile_url_check(network="x", url="x.com/MinAgricultura", handle="minagricultura")
        == "https://x.com/MinAgricultura"
    )
    with pytest.raises(InvalidInput, match="no es de X"):
        profile_url_check(network="x", url="https://facebook.com/a", handle="minagricultura")
    with pytest.raises(InvalidInput, match="no corresponde a la cuenta @minagricultura"):
        profile_url_check(network="x", url="https://x.com/otra", handle="minagricultura")
    with pytest.raises(InvalidInput, match="no es una URL válida"):
        profile_url_check(network="x", url="no es una url", handle="minagricultura")
    with pytest.raises(InvalidInput, match="red conocida"):
        profile_url_check(network="other", url="https://x.com/a", handle="a")


def test_the_usual_address_of_a_handle_and_the_key_of_unknown_addresses():
    assert profile_url_for("youtube", "mineducacion") == "https://www.youtube.com/@mineducacion"
    assert profile_url_for("tiktok", "gobcaldas") == "https://www.tiktok.com/@gobcaldas"
    assert profile_url_for("other", "x") == ""
    assert url_key("https://www.Ejemplo.gov.co/Red/?a=1") == "ejemplo.gov.co/red"
    assert url_key("ejemplo.gov.co/red") == "ejemplo.gov.co/red"
