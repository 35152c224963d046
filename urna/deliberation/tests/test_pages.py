"""The public pages (map and table, voting with and without JavaScript, proposing), the staff
page scoped to the entity, moderation in the audit log, and the API."""

import pytest
from django.urls import reverse

from urna.audit.models import AuditEntry
from urna.core.errors import InvalidInput, PermissionDenied
from urna.deliberation import services
from urna.deliberation.models import Statement, Vote
from urna.deliberation.recompute import deliberation_recompute
from urna.deliberation.services import STATEMENT_MAX, STATEMENT_MIN
from urna.deliberation.views import COOKIE


@pytest.fixture
def computed(deliberation, manager):
    texts = [f"Afirmación pública número {i} para la prueba." for i in range(6)]
    published = [
        services.statement_add(deliberation=deliberation, text=t, by=manager) for t in texts
    ]
    for i in range(24):
        who = services.participant_get_or_create(deliberation=deliberation, anonymous_key=f"w{i}")
        for j, s in enumerate(published):
            value = 1 if j == 0 else (1 if (j + i % 3) % 3 == 0 else -1)
            if i % 5 == 0 and j == 5:
                value = 0
            services.vote_cast(participant=who, statement_id=s.pk, value=value, channel="web")
    deliberation_recompute(deliberation_id=deliberation.pk, force=True)
    return published


def test_the_public_page_shows_the_map_and_the_same_figures_in_tables(client, computed, exercise):
    response = client.get(reverse("deliberation:detail", kwargs={"slug": exercise.slug}))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert "<title id=" in html and "<desc id=" in html
    assert "grupos de opinión entre 24 participantes ubicados" in html
    assert '<caption id="tabla-grupos">Tamaño de cada grupo</caption>' in html
    assert "Afirmaciones representativas del grupo A" in html
    assert "La mayoría está de acuerdo" in html
    assert computed[0].public_text in html


def test_a_page_before_the_first_recompute_says_so(client, statements, exercise):
    response = client.get(reverse("deliberation:detail", kwargs={"slug": exercise.slug}))

    assert response.status_code == 200
    assert "Aún no hay resultados." in response.content.decode()


def test_voting_without_javascript_is_a_post_and_a_redirect(client, statements, exercise):
    url = reverse("deliberation:vote", kwargs={"slug": exercise.slug})
    first = client.get(url)
    shown = first.context["statement"]
    assert shown.moderation == Statement.Moderation.PUBLISHED

    response = client.post(url, {"statement": shown.pk, "value": "1"})

    assert response.status_code == 302
    assert COOKIE in response.cookies
    vote = Vote.objects.get()
    assert (vote.statement_id, vote.value, vote.channel) == (shown.pk, 1, "web")
    following = client.get(url)
    assert following.context["statement"].pk != shown.pk
    assert "Ha votado 1 de 3 afirmaciones." in following.content.decode()


def test_voting_with_htmx_answers_the_next_card_only(client, statements, exercise):
    url = reverse("deliberation:vote", kwargs={"slug": exercise.slug})
    shown = client.get(url).context["statement"]

    response = client.post(url, {"statement": shown.pk, "value": "-1"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Su voto quedó registrado." in html
    assert response.context["statement"].pk != shown.pk


def test_a_vote_on_a_pending_statement_is_refused_on_the_page(client, statements, exercise):
    url = reverse("deliberation:vote", kwargs={"slug": exercise.slug})

    response = client.post(url, {"statement": statements["pending"].pk, "value": "1"})

    assert response.status_code == 409
    assert "Esa afirmación aún espera moderación" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_proposal_waits_for_moderation_with_its_personal_data_masked(
    client, deliberation, exercise
):
    url = reverse("deliberation:propose", kwargs={"slug": exercise.slug})

    response = client.post(
        url, {"text": "Soy Juan Carlos Pérez y pido más vías: llámenme al 3104567890."}
    )

    assert response.status_code == 302
    statement = Statement.objects.get(origin=Statement.Origin.PARTICIPANT)
    assert statement.moderation == Statement.Moderation.PENDING
    assert "3104567890" not in statement.public_text
    assert "Pérez" not in statement.public_text
    assert "phone" in statement.personal_data


def test_moderation_is_audited_and_needs_a_public_reason(statements, moderator):
    pending = statements["pending"]
    with pytest.raises(InvalidInput):
        services.statement_moderate(statement=pending, to="rejected", reason="", by=moderator)

    services.statement_moderate(statement=pending, to="published", by=moderator)

    entry = AuditEntry.objects.filter(action="deliberation.statement_moderate").get()
    assert entry.before == {"moderation": "pending", "rejected_reason": ""}
    assert entry.after == {"moderation": "published", "rejected_reason": ""}
    assert entry.actor == moderator


def test_staff_of_another_entity_can_neither_moderate_nor_see_the_page(
    client, statements, outsider, exercise
):
    with pytest.raises(PermissionDenied):
        services.statement_moderate(statement=statements["pending"], to="published", by=outsider)
    statements["pending"].refresh_from_db()
    assert statements["pending"].moderation == Statement.Moderation.PENDING
    assert not AuditEntry.objects.filter(action="deliberation.statement_moderate").exists()

    client.force_login(outsider)
    url = reverse("deliberation:staff_manage", kwargs={"slug": exercise.slug})
    assert client.get(url).status_code == 404


def test_the_staff_page_lists_the_queue_with_the_original_for_moderators(
    client, statements, moderator, exercise
):
    client.force_login(moderator)

    response = client.get(reverse("deliberation:staff_manage", kwargs={"slug": exercise.slug}))

    assert response.status_code == 200
    assert statements["pending"].text in response.content.decode()


def test_staff_seed_a_statement_and_it_is_audited(client, deliberation, manager, exercise):
    client.force_login(manager)
    url = reverse("deliberation:staff_manage", kwargs={"slug": exercise.slug})

    response = client.post(url, {"action": "statement", "text": "Los caminos veredales primero."})

    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.moderation == Statement.Moderation.PUBLISHED
    assert AuditEntry.objects.filter(
        action="deliberation.statement_add", object_id=str(statement.pk)
    ).exists()


def test_the_api_gives_the_groups_and_takes_a_vote(client, computed, exercise):
    base = f"/api/v1/exercises/{exercise.slug}/deliberation"

    detail = client.get(base).json()
    vote = client.post(
        f"{base}/votes",
        {"statement": computed[1].pk, "value": 1, "participant": "app-device-0001"},
        content_type="application/json",
    )
    refused = client.post(
        f"{base}/votes",
        {"statement": computed[1].pk, "value": 5, "participant": "app-device-0001"},
        content_type="application/json",
    )

    assert detail["result"]["participants"] == 24
    assert len(detail["result"]["groups"]) >= 2
    assert vote.status_code == 200 and vote.json()["value"] == 1
    assert refused.status_code == 422


def test_the_exercise_page_links_its_deliberation_and_only_then(client, exercise):
    page = reverse("exercises:detail", kwargs={"slug": exercise.slug})
    link = reverse("deliberation:detail", kwargs={"slug": exercise.slug})
    assert link not in client.get(page).content.decode()

    services.deliberation_create(
        exercise=exercise, question="¿Qué priorizar?", by=exercise.created_by
    )

    assert link in client.get(page).content.decode()


def test_the_public_page_in_english_is_in_english(client, settings, computed, exercise):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail = client.get(reverse("deliberation:detail", kwargs={"slug": exercise.slug}))
    vote = client.get(reverse("deliberation:vote", kwargs={"slug": exercise.slug}))

    html = detail.content.decode()
    assert '<caption id="tabla-grupos">Size of each group</caption>' in html
    assert "Representative statements of group A" in html and "Most agree" in html
    assert "Tamaño de cada grupo" not in html and "La mayoría" not in html
    assert "What do you think of this statement?" in vote.content.decode()
    propose = client.get(reverse("deliberation:propose", kwargs={"slug": exercise.slug}))
    assert "Your statement" in propose.content.decode()


def test_the_proposal_help_follows_the_page_language(client, settings, statements, exercise):
    url = reverse("deliberation:propose", kwargs={"slug": exercise.slug})
    spanish = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()

    assert "Una idea corta y clara" in spanish
    assert (
        "A short, clear idea that others can agree or disagree with (between "
        f"{STATEMENT_MIN} and {STATEMENT_MAX} characters)"
    ) in english
    assert "Una idea corta y clara" not in english


def test_the_staff_page_in_english_is_in_english(client, settings, statements, manager, exercise):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(
        reverse("deliberation:staff_manage", kwargs={"slug": exercise.slug})
    ).content.decode()

    assert "Statements and moderation" in html and "Seed a statement" in html
    assert "Afirmaciones y moderación" not in html


def test_the_map_description_in_english_is_in_english(client, settings, computed, exercise):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("deliberation:detail", kwargs={"slug": exercise.slug})).content
    html = html.decode()

    assert " placed participants." in html and "Group A" in html
    assert "participantes ubicados" not in html and "Grupo A" not in html
