import pytest
from django.urls import reverse

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.exercises.models import Contribution, ContributionResponse
from urna.results import selectors
from urna.results.models import AnswerBatch, AnswerTemplate
from urna.results.selectors import MatrixFilters

pytestmark = pytest.mark.django_db

REASON = "Se incluirá un programa de vías terciarias en el plan plurianual."


def _url(exercise, name="results:matrix"):
    return reverse(name, args=[exercise.slug])


def test_matrix_shows_progress_filters_and_masked_text(client, seeded, manager):
    exercise = seeded["exercise"]
    Contribution.objects.create(
        exercise=exercise,
        kind="opinion",
        channel="web",
        receipt="UC-PRUEBA1",
        text="Escríbanme a juan.perez@gmail.com sobre las vías terciarias",
    )
    client.force_login(manager)

    page = client.get(_url(exercise)).content.decode()
    theme = client.get(_url(exercise), {"tema": seeded["credit_theme"].pk}).content.decode()

    assert "0 de 10 respondidos" in page
    assert '<progress max="10" value="0"' in page
    assert "[correo]" in page and "juan.perez@gmail.com" not in page
    assert "10 aportes en este filtro" in page
    assert "3 aportes en este filtro" in theme
    assert "Todo el tema «crédito» (3 aportes)" in theme
    assert "Todos los del filtro actual (3 aportes, no sólo esta página)" in theme


def test_the_old_matrix_url_redirects_with_its_filters(client, seeded, manager):
    exercise = seeded["exercise"]
    client.force_login(manager)

    response = client.get(
        reverse("exercises:staff_matrix", args=[exercise.slug]), {"respondidos": "no"}
    )

    assert response.status_code == 301
    assert response["Location"] == _url(exercise) + "?respondidos=no"


def test_staff_of_another_entity_get_404_and_analysts_403(
    client, seeded, education, agriculture, make_staff
):
    exercise = seeded["exercise"]
    outsider = make_staff(education, Role.MANAGER, username="otra")
    client.force_login(outsider)
    assert client.get(_url(exercise)).status_code == 404
    response = client.post(
        _url(exercise, "results:answer_many"),
        {"selection": "filter", "decision": "accepted", "reason": REASON, "title": "Todo"},
    )
    assert response.status_code == 404
    assert not ContributionResponse.objects.exists()
    client.force_login(make_staff(agriculture, Role.ANALYST, username="analista"))
    assert client.get(_url(exercise)).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 9),
        ({"canal": "sms"}, 4),
        ({"q": "crédito"}, 3),
        ({"respondidos": "no"}, 7),
        ({"respondidos": "si"}, 2),
        ({"con_decision": "accepted"}, 2),
        ({"con_decision": "partial"}, 0),
        ({"departamento": "05"}, 1),
        ({"canal": "nada", "tema": "x"}, 9),  # values that cannot be filters are ignored
    ],
)
def test_filters(seeded, manager, params, expected):
    from urna.results import services

    exercise = seeded["exercise"]
    Contribution.objects.filter(pk=seeded["roads"][0].pk).update(department_id="05")
    services.contribution_respond_group(
        exercise=exercise,
        contribution_ids=[c.pk for c in seeded["credit"][:2]],
        title="Crédito",
        decision="accepted",
        reason=REASON,
        by=manager,
    )
    filters = selectors.matrix_filters_parse(params)

    assert selectors.matrix_page(exercise, filters).count == expected


def test_theme_and_campaign_filters(seeded):
    exercise = seeded["exercise"]

    theme = selectors.matrix_page(exercise, MatrixFilters(theme=seeded["road_theme"].pk))
    campaign = selectors.matrix_page(exercise, MatrixFilters(group=seeded["group"].pk))

    assert [c.pk for c in theme.rows] == [c.pk for c in seeded["roads"] + seeded["campaign"]]
    assert [c.pk for c in campaign.rows] == [c.pk for c in seeded["campaign"]]


def test_keyset_pages_cover_the_filter_once_in_id_order(seeded):
    exercise = seeded["exercise"]
    all_ids = list(selectors.answerable(exercise).order_by("id").values_list("id", flat=True))

    pages = [selectors.matrix_page(exercise, MatrixFilters(), page=n, size=4) for n in (1, 2, 3, 9)]

    assert [p.pages for p in pages] == [3, 3, 3, 3]
    assert [c.pk for p in pages[:3] for c in p.rows] == all_ids
    assert pages[3].number == 3  # a page past the end shows the last one
    assert pages[1].first_id == all_ids[4]
    assert selectors._page_numbers(50, 100) == [1, 2, None, 48, 49, 50, 51, 52, None, 99, 100]
    after = selectors.matrix_after(exercise, MatrixFilters(), after=all_ids[6], size=10)
    assert [c.pk for c in after] == all_ids[7:]


def test_answering_a_campaign_through_the_page(client, seeded, manager):
    exercise = seeded["exercise"]
    client.force_login(manager)

    response = client.post(
        _url(exercise, "results:answer_many"),
        {
            "campana": seeded["group"].pk,
            "selection": "campaign",
            "decision": "partial",
            "reason": REASON,
            "keep": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _url(exercise) + f"?campana={seeded['group'].pk}"
    group = AnswerBatch.objects.get().group
    assert group.title.startswith("Campaña (4 aportes): Campaña: pedimos vías terciarias")
    assert group.responses.count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "4 de 9 respondidos" in page
    assert "Respuesta «Campaña (4 aportes)" in page


def test_ticked_rows_and_single_answers_through_the_page(client, seeded, manager):
    exercise = seeded["exercise"]
    client.force_login(manager)
    ids = [seeded["credit"][0].pk, seeded["credit"][1].pk]

    client.post(
        _url(exercise, "results:answer_many"),
        {
            "selection": "rows",
            "contributions": ids,
            "title": "Crédito",
            "decision": "accepted",
            "reason": REASON,
        },
    )
    client.post(
        _url(exercise, "results:answer_one"),
        {"contribution": seeded["credit"][2].pk, "decision": "not_accepted", "reason": "corta"},
    )
    response = client.post(
        _url(exercise, "results:answer_one"),
        {"contribution": seeded["credit"][2].pk, "decision": "not_accepted", "reason": REASON},
        follow=True,
    )

    assert set(
        ContributionResponse.objects.filter(decision="accepted").values_list(
            "contribution_id", flat=True
        )
    ) == set(ids)
    assert ContributionResponse.objects.get(contribution=seeded["credit"][2]).reason == REASON
    assert "Respuesta guardada." in response.content.decode()


def test_bad_bulk_answers_show_spanish_errors_and_change_nothing(client, seeded, manager):
    exercise = seeded["exercise"]
    client.force_login(manager)
    url = _url(exercise, "results:answer_many")

    no_rows = client.post(
        url,
        {"selection": "rows", "title": "X grupo", "decision": "accepted", "reason": REASON},
        follow=True,
    ).content.decode()
    no_theme = client.post(
        url, {"selection": "theme", "decision": "accepted", "reason": REASON}, follow=True
    ).content.decode()
    short = client.post(
        url,
        {"selection": "filter", "title": "Todo", "decision": "accepted", "reason": "no"},
        follow=True,
    ).content.decode()

    assert "Marque al menos un aporte." in no_rows
    assert "Filtre primero por un tema." in no_theme
    assert "mínimo 10 caracteres" in short
    assert not ContributionResponse.objects.exists()


def test_csrf_is_required(seeded, manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    response = client.post(
        _url(seeded["exercise"], "results:answer_many"),
        {"selection": "filter", "title": "Todo", "decision": "accepted", "reason": REASON},
    )

    assert response.status_code == 403
    assert not ContributionResponse.objects.exists()


def test_progress_is_polled_by_htmx_and_has_a_page_without_it(client, seeded, manager):
    exercise = seeded["exercise"]
    AnswerBatch.objects.create(
        exercise=exercise,
        group=exercise.response_groups.create(
            title="Vías", decision="accepted", reason=REASON, created_by=manager
        ),
        kind="theme",
        selection={"theme": seeded["road_theme"].pk},
        total=20000,
        done=5000,
    )
    client.force_login(manager)

    partial = client.get(_url(exercise, "results:batches"), HTTP_HX_REQUEST="true")
    full = client.get(_url(exercise, "results:batches")).content.decode()

    body = partial.content.decode()
    assert body.startswith('<div id="avance"') and 'hx-trigger="every 2s"' in body
    assert "«Vías»: 5000 de 20000 aportes" in body
    assert "Actualizar el avance" in full and "<h1>" in full


def test_templates_crud_and_use_without_javascript(client, seeded, manager, education, make_staff):
    exercise = seeded["exercise"]
    client.force_login(manager)
    entity = exercise.owner

    client.post(
        reverse("results:templates"),
        {
            "entity": entity.pk,
            "title": "Fuera de objeto",
            "decision": "not_accepted",
            "reason": "No corresponde al objeto de esta política.",
        },
    )
    duplicate = client.post(
        reverse("results:templates"),
        {
            "entity": entity.pk,
            "title": "Fuera de objeto",
            "decision": "accepted",
            "reason": "Otra razón suficientemente larga.",
        },
    )
    template = AnswerTemplate.objects.get()
    client.post(
        reverse("results:template_edit", args=[template.pk]),
        {
            "entity": entity.pk,
            "title": "Fuera de objeto",
            "decision": "not_accepted",
            "reason": "No corresponde al objeto de esta política pública.",
        },
    )
    used = client.post(
        _url(exercise, "results:answer_many"),
        {"usar_plantilla": "1", "plantilla": template.pk, "tema": seeded["road_theme"].pk},
    )
    page = client.get(used["Location"]).content.decode()

    assert "Su entidad ya tiene una plantilla con ese título." in duplicate.content.decode()
    assert used["Location"].endswith(f"plantilla={template.pk}#responder")
    assert "No corresponde al objeto de esta política pública.</textarea>" in page
    assert 'data-reason="No corresponde al objeto de esta política pública."' in page
    assert AuditEntry.objects.filter(action__startswith="answer_template.").count() == 2

    outsider = make_staff(education, Role.MANAGER, username="otra")
    client.force_login(outsider)
    assert client.get(reverse("results:template_edit", args=[template.pk])).status_code == 404
    assert client.post(reverse("results:template_delete", args=[template.pk])).status_code == 404
    client.force_login(manager)
    client.post(reverse("results:template_delete", args=[template.pk]))
    assert not AnswerTemplate.objects.exists()
