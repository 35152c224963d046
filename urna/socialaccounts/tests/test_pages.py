"""The public directory, the check and an account's page; the staff pages scoped by entity
(a URL typed for another entity's account is a 404, and nothing changes)."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.tests.a11y import duplicate_ids, skip_link_target, unlabelled_fields
from urna.socialaccounts.models import SocialAccount, SocialFigure


@pytest.fixture
def accounts(agriculture, caldas, make_account, make_figure):
    fb = make_account(
        agriculture, "facebook", "minagricultura", name="Agricultura Colombia", is_example=True
    )
    make_figure(fb, date(2025, 6, 30), 15300, posts=20)
    ig = make_account(caldas, "instagram", "gob.caldas", name="Gobernación de Caldas")
    make_account(caldas, "tiktok", "revision", status=SocialAccount.Status.PENDING)
    return {"fb": fb, "ig": ig}


def test_the_directory_lists_the_public_accounts_with_example_marks(client, accounts):
    response = client.get(reverse("socialaccounts:directory"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "@minagricultura" in html and "@gob.caldas" in html
    assert "@revision" not in html  # under review: not official yet
    assert html.count('class="example-label"') == 1
    assert "15.300 seguidores" in html or "15,300 seguidores" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "gobernacion"}, "@gob.caldas", "@minagricultura"),  # no accent typed
        ({"q": "AGRICULTURA"}, "@minagricultura", "@gob.caldas"),
        ({"red": "instagram"}, "@gob.caldas", "@minagricultura"),
        ({"nivel": "national"}, "@minagricultura", "@gob.caldas"),
        ({"departamento": "17"}, "@gob.caldas", "@minagricultura"),
    ],
)
def test_the_directory_searches_and_filters(client, accounts, query, shown, hidden):
    html = client.get(reverse("socialaccounts:directory"), query).content.decode()

    assert shown in html and hidden not in html


def test_the_directory_filters_by_entity(client, accounts, caldas):
    html = client.get(reverse("socialaccounts:directory"), {"entidad": caldas.pk}).content.decode()
    assert "@gob.caldas" in html and "@minagricultura" not in html


def test_the_directory_pages(client, agriculture, make_account):
    for n in range(30):
        make_account(agriculture, "x", f"cuenta{n:02d}")

    first = client.get(reverse("socialaccounts:directory")).content.decode()
    second = client.get(reverse("socialaccounts:directory"), {"pagina": 2}).content.decode()

    assert "30 cuentas" in first and 'rel="next"' in first
    assert first.count("<li>") >= 25 and "@cuenta29" in second and "@cuenta29" not in first


def test_the_check_answers_with_the_entity(client, accounts):
    url = reverse("socialaccounts:check")

    official = client.get(url, {"cuenta": "https://www.instagram.com/Gob.Caldas/?hl=es"})
    example = client.get(url, {"cuenta": "m.facebook.com/MinAgricultura/?ref=share"})
    unknown = client.get(url, {"cuenta": "https://x.com/MinAgricultura_Falsa"})
    garbage = client.get(url, {"cuenta": "hola mundo"})

    assert official.status_code == 200
    assert "Sí: es una cuenta oficial de Gobernación de Caldas" in official.content.decode()
    assert "Es una cuenta de ejemplo" in example.content.decode()
    assert "Sí: es una cuenta oficial" not in example.content.decode()
    assert "no está en el registro" in unknown.content.decode()
    assert "No entendimos esa dirección" in garbage.content.decode()


def test_an_accounts_page_shows_its_figures_and_one_under_review_is_not_found(
    client, accounts, caldas
):
    page = client.get(reverse("socialaccounts:account", args=[accounts["fb"].pk]))
    pending = SocialAccount.objects.get(handle="revision")

    assert page.status_code == 200
    assert "30 de junio de 2025" in page.content.decode()
    assert client.get(reverse("socialaccounts:account", args=[pending.pk])).status_code == 404


def test_public_pages_name_no_staff(client, accounts, agri_admin):
    client.get(reverse("socialaccounts:directory"))
    for url in (
        reverse("socialaccounts:directory"),
        reverse("socialaccounts:account", args=[accounts["fb"].pk]),
    ):
        assert agri_admin.username not in client.get(url).content.decode()


def test_entity_staff_edit_their_own_accounts(client, agriculture, agri_admin, make_account):
    ours = make_account(agriculture, "x", "agro")
    client.force_login(agri_admin)

    response = client.post(
        reverse("socialaccounts:staff_edit", args=[ours.pk]),
        {
            "entity": agriculture.pk,
            "network": "x",
            "handle": "agro",
            "profile_url": "https://x.com/agro",
            "name": "Agro",
            "verified": "on",
            "status": "dormant",
        },
    )

    assert response.status_code == 302
    ours.refresh_from_db()
    assert (ours.name, ours.verified, ours.status) == ("Agro", True, "dormant")
    assert AuditEntry.objects.for_object(ours).get().actor == agri_admin


def test_url_tampering_cannot_reach_another_entitys_account(
    client, education, agri_admin, make_account
):
    theirs = make_account(education, "x", "edu")
    client.force_login(agri_admin)

    edit = client.get(reverse("socialaccounts:staff_edit", args=[theirs.pk]))
    post = client.post(
        reverse("socialaccounts:staff_edit", args=[theirs.pk]),
        {"entity": education.pk, "network": "x", "handle": "edu", "status": "closed"},
    )
    figure = client.post(
        reverse("socialaccounts:staff_figure", args=[theirs.pk]),
        {"day": "2025-01-31", "followers": "5"},
    )
    listing = client.get(reverse("socialaccounts:staff_list")).content.decode()

    assert (edit.status_code, post.status_code, figure.status_code) == (404, 404, 404)
    theirs.refresh_from_db()
    assert theirs.status == "active"
    assert not SocialFigure.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="social").exists()
    assert "@edu" not in listing


def test_entity_staff_cannot_create_for_another_entity(client, education, agri_admin):
    client.force_login(agri_admin)

    response = client.post(
        reverse("socialaccounts:staff_create"),
        {"entity": education.pk, "network": "x", "handle": "edu", "status": "active"},
    )

    assert response.status_code == 400  # not one of the form's choices
    assert not SocialAccount.objects.exists()


def test_a_figure_recorded_on_the_page(client, agriculture, agri_admin, make_account):
    ours = make_account(agriculture, "x", "agro")
    client.force_login(agri_admin)

    bad = client.post(
        reverse("socialaccounts:staff_figure", args=[ours.pk]),
        {"day": "2025-01-31", "followers": "-3"},
    )
    good = client.post(
        reverse("socialaccounts:staff_figure", args=[ours.pk]),
        {"day": "2025-01-31", "followers": "1500", "posts": "7"},
    )

    assert bad.status_code == 400 and good.status_code == 302
    assert list(SocialFigure.objects.values_list("followers", "posts")) == [(1500, 7)]


def test_staff_without_the_permission_are_refused(client, agriculture, make_staff):
    analyst = make_staff(agriculture, Role.ANALYST)
    client.force_login(analyst)

    assert client.get(reverse("socialaccounts:staff_list")).status_code == 403
    assert client.get(reverse("socialaccounts:staff_import")).status_code == 403
    assert client.get(reverse("socialaccounts:advice")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("socialaccounts:staff_list"))
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_an_import_through_the_page_and_its_report(
    client, settings, tmp_path, agriculture, agri_admin, edu_admin
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(agri_admin)
    upload = io.BytesIO(b"entidad,red,cuenta\nMINAGRICULTURA,x,agro\nNOEXISTE,x,b\n")
    upload.name = "cuentas.csv"

    response = client.post(
        reverse("socialaccounts:staff_import"), {"kind": "accounts", "file": upload}
    )

    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "sigla de entidad desconocida" in detail.content.decode()
    pk = detail.context["social_import"].pk
    report = client.get(reverse("socialaccounts:import_rejections", args=[pk]))
    assert b"".join(report.streaming_content).decode("utf-8-sig").splitlines() == [
        "fila,motivo,entidad,red,cuenta",
        "3,sigla de entidad desconocida,NOEXISTE,x,b",
    ]
    client.force_login(edu_admin)  # another entity's staff do not see the import
    assert client.get(response["Location"]).status_code == 404


def test_the_advice_page_for_the_platform_team(
    client, platform_admin, agriculture, make_account, make_figure
):
    quiet = make_account(agriculture, "x", "callada", verified=True)
    make_figure(quiet, date(2020, 1, 31), 10, posts=0)
    client.force_login(platform_admin)

    response = client.get(reverse("socialaccounts:advice"))

    assert response.status_code == 200
    advice = response.context["advice"]
    assert advice.dormant == [quiet] and advice.stale == [quiet] and advice.unverified == []
    assert agriculture not in advice.without_account
    assert advice.without_account_total > 0


@pytest.mark.parametrize("language", ["es-co", "en"])
def test_the_pages_pass_the_browser_free_accessibility_checks(
    client, settings, accounts, agri_admin, platform_admin, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    public = [
        reverse("socialaccounts:directory"),
        reverse("socialaccounts:directory") + "?q=caldas&red=instagram",
        reverse("socialaccounts:check") + "?cuenta=x.com/noexiste",
        reverse("socialaccounts:check") + "?cuenta=facebook.com/minagricultura",
        reverse("socialaccounts:account", args=[accounts["fb"].pk]),
    ]
    client.force_login(agri_admin)
    staff = [
        reverse("socialaccounts:staff_list"),
        reverse("socialaccounts:staff_create"),
        reverse("socialaccounts:staff_edit", args=[accounts["fb"].pk]),
        reverse("socialaccounts:staff_import"),
    ]
    for url in [*public, *staff]:
        html = client.get(url).content.decode()
        assert (url, unlabelled_fields(html), duplicate_ids(html)) == (url, [], [])
        assert skip_link_target(html) == "contenido"
    client.force_login(platform_admin)
    html = client.get(reverse("socialaccounts:advice")).content.decode()
    assert (unlabelled_fields(html), duplicate_ids(html)) == ([], [])


def test_the_staff_list_searches_and_filters_within_the_users_entities(
    client, agriculture, education, agri_admin, make_account
):
    make_account(agriculture, "x", "agro", status=SocialAccount.Status.DORMANT)
    make_account(agriculture, "facebook", "agro.fb")
    make_account(education, "x", "edu")
    client.force_login(agri_admin)
    url = reverse("socialaccounts:staff_list")

    everything = client.get(url).content.decode()
    dormant = client.get(url, {"estado": "dormant"}).content.decode()
    facebook = client.get(url, {"red": "facebook", "q": "agricultura"}).content.decode()

    assert "@agro<" in everything and "@agro.fb" in everything and "@edu" not in everything
    assert "@agro<" in dormant and "@agro.fb" not in dormant
    assert "@agro.fb" in facebook and "@agro<" not in facebook


def test_the_advice_counts_quiet_accounts_over_the_days_asked(
    client, platform_admin, agriculture, make_account, make_figure
):
    account = make_account(agriculture, "x", "callada", verified=True)
    make_figure(account, timezone.localdate() - timedelta(days=60), 10, posts=3)
    client.force_login(platform_admin)
    url = reverse("socialaccounts:advice")

    assert client.get(url).context["advice"].dormant == []
    assert client.get(url, {"dias": 30}).context["advice"].dormant == [account]


def test_list_pages_read_a_fixed_number_of_queries(
    client,
    agriculture,
    caldas,
    agri_admin,
    make_account,
    make_figure,
    django_assert_max_num_queries,
):
    for n in range(20):
        account = make_account(agriculture if n % 2 else caldas, "x", f"cuenta{n:02d}")
        make_figure(account, date(2025, 1, 31), 100 + n, posts=1)

    with django_assert_max_num_queries(8):
        assert client.get(reverse("socialaccounts:directory")).status_code == 200
    with django_assert_max_num_queries(4):
        client.get("/api/v1/social-accounts?limit=20")
    client.force_login(agri_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("socialaccounts:staff_list")).status_code == 200


def test_the_pages_speak_english_when_asked(client, settings, accounts):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    directory = client.get(reverse("socialaccounts:directory")).content.decode()
    check = client.get(reverse("socialaccounts:check"), {"cuenta": "x.com/noexiste"})

    assert "Is this account official?" in directory and "Account directory" in directory
    assert "That account is not in the registry of official accounts." in check.content.decode()
