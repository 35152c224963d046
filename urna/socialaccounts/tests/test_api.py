"""The public API: the list with filters and pages, the verify check and one account with its
figures; errors in Spanish in the API's error format."""

from datetime import date

import pytest

from urna.socialaccounts.models import SocialAccount

BASE = "/api/v1/social-accounts"


@pytest.fixture
def accounts(agriculture, caldas, make_account, make_figure):
    fb = make_account(agriculture, "facebook", "minagricultura", is_example=True, verified=True)
    make_figure(fb, date(2025, 5, 31), 15000, posts=12)
    make_figure(fb, date(2025, 6, 30), 15300, posts=20)
    ig = make_account(caldas, "instagram", "gob.caldas")
    make_account(caldas, "tiktok", "revision", status=SocialAccount.Status.PENDING)
    make_account(caldas, "x", "gobcaldas_old", status=SocialAccount.Status.CLOSED)
    return {"fb": fb, "ig": ig}


def test_the_list_with_filters_and_pages(client, accounts, agriculture, settings):
    settings.URNA_SITE_URL = "https://urna.example"
    everything = client.get(BASE).json()
    territorial = client.get(BASE, {"level": "territorial", "limit": 1}).json()
    searched = client.get(BASE, {"q": "Agricultura"}).json()

    assert everything["count"] == 3  # not the one under review
    fb = next(a for a in everything["items"] if a["network"] == "facebook")
    assert fb == {
        "id": accounts["fb"].pk,
        "network": "facebook",
        "handle": "minagricultura",
        "name": "",
        "profile_url": "https://example.org/minagricultura",
        "entity": {
            "id": agriculture.pk,
            "acronym": "MINAGRICULTURA",
            "name": agriculture.name,
            "level": "national",
            "department": None,
        },
        "level": "national",
        "verified": True,
        "status": "active",
        "is_example": True,
        "followers": 15300,
        "followers_on": "2025-06-30",
        "url": f"https://urna.example/redes-oficiales/{accounts['fb'].pk}/",
    }
    assert (territorial["count"], len(territorial["items"]), territorial["limit"]) == (2, 1, 1)
    assert [a["handle"] for a in searched["items"]] == ["minagricultura"]


def test_verify_answers_for_the_forms_people_paste(client, accounts):
    official = client.get(f"{BASE}/verify", {"url": "instagram.com/Gob.Caldas/?igsh=MWZ4"})
    example = client.get(f"{BASE}/verify", {"url": "www.facebook.com/MinAgricultura/?ref=br"})
    closed = client.get(f"{BASE}/verify", {"url": "@gobcaldas_old"})
    unknown = client.get(f"{BASE}/verify", {"url": "https://www.instagram.com/gob.caldas.falsa"})

    assert official.status_code == 200
    body = official.json()
    assert (body["official"], body["example"], body["network"], body["handle"]) == (
        True,
        False,
        "instagram",
        "gob.caldas",
    )
    assert body["accounts"][0]["entity"]["acronym"] == "GOB-17"
    assert (example.json()["official"], example.json()["example"]) == (False, True)
    assert example.json()["accounts"][0]["followers"] == 15300
    assert closed.json()["official"] is False and len(closed.json()["accounts"]) == 1
    assert unknown.json() == {
        "query": "https://www.instagram.com/gob.caldas.falsa",
        "understood": True,
        "official": False,
        "example": False,
        "network": "instagram",
        "handle": "gob.caldas.falsa",
        "accounts": [],
    }


def test_verify_without_a_url_is_a_spanish_error(client, db):
    missing = client.get(f"{BASE}/verify")
    blank = client.get(f"{BASE}/verify", {"url": "  "})

    assert missing.status_code == 422
    assert blank.status_code == 422
    assert blank.json() == {
        "code": "invalid",
        "detail": "Escriba la dirección o el @nombre de la cuenta.",
        "errors": {"url": ["Escriba la dirección o el @nombre de la cuenta."]},
    }
    assert "obligatorio" in str(missing.json())


def test_one_account_with_its_latest_figures(client, accounts):
    body = client.get(f"{BASE}/{accounts['fb'].pk}").json()

    assert body["followers"] == 15300
    assert body["figures"] == [
        {"date": "2025-06-30", "followers": 15300, "posts": 20, "source": "csv"},
        {"date": "2025-05-31", "followers": 15000, "posts": 12, "source": "csv"},
    ]


def test_an_unknown_or_pending_account_is_a_spanish_404(client, accounts):
    pending = SocialAccount.objects.get(handle="revision")

    for pk in (pending.pk, 999_999):
        response = client.get(f"{BASE}/{pk}")
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "detail": "La cuenta no está en el registro.",
        }


def test_a_bad_filter_is_a_spanish_error(client, db):
    response = client.get(BASE, {"network": "myspace"})
    assert response.status_code == 422
    assert "Valor no permitido" in str(response.json())
