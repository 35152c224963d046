"""The check "¿Es oficial esta cuenta?" against the forms of addresses people paste."""

import pytest

from urna.socialaccounts.models import SocialAccount
from urna.socialaccounts.selectors import account_lookup


@pytest.fixture
def registry(agriculture, caldas, make_account):
    return {
        "fb": make_account(agriculture, "facebook", "minagricultura"),
        "x": make_account(agriculture, "x", "minagricultura"),
        "ig": make_account(caldas, "instagram", "gob.caldas"),
        "yt": make_account(caldas, "youtube", "UCabcdefghijklmnopqrstuV"),
        "closed": make_account(
            caldas, "tiktok", "gobcaldasvieja", status=SocialAccount.Status.CLOSED
        ),
        "pending": make_account(caldas, "tiktok", "gobcaldas", status=SocialAccount.Status.PENDING),
        "other": make_account(
            caldas, "other", "ventanilla", profile_url="https://ventanilla.caldas.gov.co/Redes/"
        ),
    }


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("https://www.facebook.com/MinAgricultura", "fb"),
        ("http://facebook.com/minagricultura/", "fb"),
        ("facebook.com/MinAgricultura?ref=embed_page", "fb"),
        ("m.facebook.com/MinAgricultura", "fb"),
        ("www.facebook.com/MinAgricultura/#", "fb"),
        ("https://x.com/MinAgricultura", "x"),
        ("https://twitter.com/MinAgricultura/status/1", "x"),
        ("  x.com/minagricultura?s=21  ", "x"),
        ("instagram.com/gob.caldas/?hl=es", "ig"),
        ("https://www.youtube.com/channel/UCabcdefghijklmnopqrstuV/videos", "yt"),
        ("ventanilla.caldas.gov.co/redes", "other"),
        ("https://www.ventanilla.caldas.gov.co/Redes?utm=1", "other"),
    ],
)
def test_an_official_account_is_found_whatever_form_its_address_takes(registry, text, key):
    lookup = account_lookup(text)

    assert lookup.understood
    assert lookup.accounts == [registry[key]]


def test_a_bare_handle_finds_the_account_on_every_network_that_has_it(registry):
    lookup = account_lookup("@MinAgricultura")

    assert lookup.understood
    assert sorted(a.network for a in lookup.accounts) == ["facebook", "x"]


def test_an_unknown_account_is_understood_but_not_found(registry):
    lookup = account_lookup("https://x.com/MinAgricultura_")

    assert lookup.understood and not lookup.found
    assert (lookup.network, lookup.handle) == ("x", "minagricultura_")


def test_a_closed_account_is_found_and_one_under_review_is_not(registry):
    assert account_lookup("tiktok.com/@gobcaldasvieja").accounts == [registry["closed"]]
    assert account_lookup("https://www.tiktok.com/@gobcaldas").accounts == []


@pytest.mark.parametrize("text", ["", "   ", "hola mundo", "@", "https://www.facebook.com/"])
def test_text_that_is_not_an_account_is_not_understood(registry, text):
    lookup = account_lookup(text)

    assert not lookup.found
    assert not lookup.understood
