"""Finding, reading and discussing an exercise's contributions: the searchable list with its
filters, orders and numbered pages, a page per contribution, the replies and their moderation,
and each article's comments on the exercise's page."""

import io
import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.test import Client

from urna.accounts.demo import demo_load as accounts_demo
from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.templatetags.urna_pages import page_links
from urna.core.tests.a11y import duplicate_ids, skip_link_target, unlabelled_fields
from urna.entities.demo import demo_load as entities_demo
from urna.exercises import services
from urna.exercises.demo import demo_load as exercises_demo
from urna.exercises.models import Contribution, Exercise
from urna.exercises.selectors_browse import BrowseFilters, KnownCount, contribution_browse

pytestmark = pytest.mark.django_db

PHONE = "3001234567"


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


def _submit(exercise, text, **fields):
    fields.setdefault("kind", "opinion")
    fields.setdefault("channel", "web")
    return services.contribution_submit(exercise=exercise, text=text, **fields).contribution


def _browse(client, exercise, query=""):
    response = client.get(f"/ejercicios/{exercise.slug}/aportes/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _page_hrefs(html):
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    return re.findall(r'href="([^"]+)"', nav)


# --- search, filters, orders ----------------------------------------------------------------


def test_search_ignores_accents_and_case(client, exercise):
    _submit(exercise, "Educación rural para las niñas del Cauca")
    _submit(exercise, "Vías terciarias para sacar la cosecha")

    for query in ("EDUCACION", "educación", "ninas rural"):
        html = _browse(client, exercise, f"?q={query}")
        assert "Educación rural para las niñas" in html
        assert "Vías terciarias" not in html
        assert "1 aporte encontrado" in html
    assert "Vías terciarias" in _browse(client, exercise, "?q=VIAS")
    assert "Ningún aporte publicado coincide" in _browse(client, exercise, "?q=acueducto")


def test_search_finds_contributions_loaded_in_bulk_without_their_folded_copy(client, exercise):
    Contribution.objects.bulk_create(
        [
            Contribution(
                exercise=exercise,
                kind="opinion",
                channel="sms",
                text="Crédito barato para productores",
                public_text="Crédito barato para productores",
                receipt="UC-BULK1",
            )
        ]
    )

    assert "Crédito barato" in _browse(client, exercise, "?q=barato")


def test_filters_narrow_the_list_and_every_page_link_keeps_them(client, exercise, divipola):
    for i in range(45):
        _submit(exercise, f"Mensaje por SMS número {i}", channel="sms", municipality_code="17001")
    for i in range(5):
        _submit(exercise, f"Mensaje por la web número {i}", channel="web")

    html = _browse(client, exercise, "?canal=sms&departamento=17&q=mensaje")

    assert "45 aportes encontrados" in html
    assert "por la web" not in html
    hrefs = _page_hrefs(html)
    assert hrefs, "a list of 45 in pages of 20 has page links"
    for href in hrefs:
        assert "canal=sms" in href and "departamento=17" in href and "q=mensaje" in href
    assert 'aria-current="page"' in html
    page3 = _browse(client, exercise, "?canal=sms&departamento=17&q=mensaje&pagina=3")
    assert page3.count('class="contribution"') == 5


def test_a_value_the_form_does_not_offer_is_refused_beside_its_field(client, exercise):
    _submit(exercise, "Una opinión cualquiera")

    html = _browse(client, exercise, "?tipo=inventado")

    assert "Escoja una opción válida" in html
    assert "Una opinión cualquiera" in html


def test_orders_most_supported_and_most_commented(client, exercise):
    old = _submit(exercise, "Propuesta antigua muy apoyada", kind="proposal")
    _submit(exercise, "Propuesta nueva sin apoyos", kind="proposal")
    discussed = _submit(exercise, "Opinión muy comentada")
    Contribution.objects.filter(pk=old.pk).update(support_count=F("support_count") + 7)
    services.reply_submit(parent=discussed, text="Estoy de acuerdo con usted")
    services.reply_submit(parent=discussed, text="Yo no estoy de acuerdo")

    newest = _browse(client, exercise)
    supported = _browse(client, exercise, "?orden=apoyos")
    commented = _browse(client, exercise, "?orden=comentarios")

    assert newest.index("Opinión muy comentada") < newest.index("Propuesta antigua")
    assert supported.index("Propuesta antigua") < supported.index("Propuesta nueva")
    assert supported.index("Propuesta antigua") < supported.index("Opinión muy comentada")
    assert commented.index("Opinión muy comentada") < commented.index("Propuesta nueva")
    assert "2 respuestas" in commented
    # Replies are read on their contribution's page, not listed among the contributions.
    assert "3 aportes publicados" in newest and "Estoy de acuerdo" not in newest


def test_list_reads_a_bounded_number_of_queries(client, exercise, django_assert_max_num_queries):
    for i in range(30):
        _submit(exercise, f"Opinión número {i}", kind="proposal" if i % 2 else "opinion")
    _browse(client, exercise)  # warms the cached counts and the session

    with django_assert_max_num_queries(12):
        _browse(client, exercise, "?orden=apoyos&pagina=2")
    with django_assert_max_num_queries(12):
        _browse(client, exercise, "?q=opinion&tipo=proposal")


# --- numbered pages -----------------------------------------------------------------------


def test_page_numbers_leave_runs_out_with_an_ellipsis():
    paginator = Paginator(range(156 * 20), 20)

    assert page_links(paginator.page(1)) == [1, 2, 3, None, 155, 156]
    assert page_links(paginator.page(50)) == [1, 2, None, 48, 49, 50, 51, 52, None, 155, 156]
    assert page_links(paginator.page(156)) == [1, 2, None, 154, 155, 156]


def test_pages_are_numbered_with_the_current_one_marked(client, exercise):
    for i in range(61):
        _submit(exercise, f"Opinión {i}")

    html = _browse(client, exercise, "?pagina=2")

    assert re.search(r'aria-current="page"[^>]*>2</a>', html)
    for number in (1, 3, 4):
        assert f'pagina={number}#resultados" aria-label="Página {number}"' in html
    assert "Página 2 de 4" in html


# --- a page per contribution --------------------------------------------------------------


def test_contribution_page_shows_the_text_masked_and_a_link_to_share(client, exercise):
    item = _submit(
        exercise,
        f"Propongo más rutas escolares; mi celular es {PHONE}.",
        kind="proposal",
    )

    response = client.get(f"/ejercicios/{exercise.slug}/aportes/{item.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Propongo más rutas escolares" in html
    assert PHONE not in html and item.receipt not in html
    share = f"http://testserver/ejercicios/{exercise.slug}/aportes/{item.pk}/"
    assert f'<input id="enlace" type="url" readonly value="{share}">' in html
    assert f'<meta property="og:url" content="{share}">' in html
    assert '<meta property="og:title" content="Propuesta n.º' in html
    assert PHONE not in re.search(r'og:description" content="([^"]*)"', html).group(1)


def test_article_comment_page_shows_the_article(client, make_exercise):
    draft = make_exercise(status="draft", kind=Exercise.Kind.DRAFT_REGULATION)
    services.article_add(
        exercise=draft, by=draft.created_by, title="Objeto", body="Texto del objeto."
    )
    draft = _open(draft)
    comment = _submit(draft, "Comentario al objeto", kind="article_comment", article=1)

    html = client.get(f"/ejercicios/{draft.slug}/aportes/{comment.pk}/").content.decode()

    assert "Texto del objeto." in html and "Comentario al objeto" in html


def test_pending_hidden_and_other_exercises_contributions_are_not_found(
    client, exercise, make_exercise, agriculture, make_staff
):
    moderator = make_staff(agriculture, Role.MODERATOR)
    hidden = _submit(exercise, "Aporte que se ocultará")
    services.contribution_moderate(
        contribution=hidden, to="hidden", reason="Contiene insultos", by=moderator
    )
    pending = _submit(exercise, "Aporte en espera")
    services.contribution_moderate(contribution=pending, to="pending", by=moderator)
    other = _submit(make_exercise(status="open", title="Otro ejercicio"), "De otro ejercicio")

    for pk in (hidden.pk, pending.pk, other.pk, 999999):
        assert client.get(f"/ejercicios/{exercise.slug}/aportes/{pk}/").status_code == 404
    assert "Aporte que se ocultará" not in _browse(client, exercise, "?q=ocultara")


# --- replies ------------------------------------------------------------------------------


def _open(exercise):
    services.exercise_transition(exercise=exercise, to="open", by=exercise.created_by)
    return Exercise.objects.get(pk=exercise.pk)


def test_a_reply_waits_for_moderation_when_the_exercise_moderates_first(
    client, make_exercise, agriculture, make_staff
):
    exercise = make_exercise(status="open", premoderation=True)
    moderator = make_staff(agriculture, Role.MODERATOR)
    item = _submit(exercise, "Propuesta que recibirá respuestas", kind="proposal")
    services.contribution_moderate(contribution=item, to="visible", by=moderator)
    page = f"/ejercicios/{exercise.slug}/aportes/{item.pk}/"

    response = client.post(page, {"text": f"Respondo con mi número {PHONE}"}, follow=True)

    html = response.content.decode()
    assert "se publicará cuando el equipo de moderación la revise" in html
    assert "Respondo con mi número" not in html
    reply = Contribution.objects.get(parent=item)
    assert (reply.moderation, reply.kind, reply.channel) == ("pending", "opinion", "web")
    assert PHONE not in reply.public_text
    item.refresh_from_db()
    assert item.reply_count == 0
    queue = client_for(moderator).get(f"/ejercicios/gestion/{exercise.slug}/moderacion/")
    assert "Respondo con mi número" in queue.content.decode()

    services.contribution_moderate(contribution=reply, to="visible", by=moderator)

    html = client.get(page).content.decode()
    assert "Respondo con mi número" in html and PHONE not in html
    assert "1 respuesta" in html
    item.refresh_from_db()
    assert item.reply_count == 1
    assert AuditEntry.objects.filter(action="contribution.moderate", object_id=str(reply.pk))
    services.contribution_moderate(
        contribution=reply, to="hidden", reason="Datos de otra persona", by=moderator
    )
    item.refresh_from_db()
    assert item.reply_count == 0
    assert "Respondo con mi número" not in client.get(page).content.decode()


def client_for(user):
    staff = Client()
    staff.force_login(user)
    return staff


def test_threads_nest_one_level_and_a_reply_to_a_nested_reply_joins_its_thread(client, exercise):
    root = _submit(exercise, "Opinión que abre la conversación")
    first = services.reply_submit(parent=root, text="Primera respuesta").contribution
    nested = services.reply_submit(parent=first, text="Respuesta a la primera").contribution

    deeper = services.reply_submit(parent=nested, text="Respuesta a la anidada").contribution

    assert (first.parent_id, nested.parent_id, deeper.parent_id) == (root.pk, first.pk, first.pk)
    root.refresh_from_db()
    first.refresh_from_db()
    assert (root.reply_count, first.reply_count) == (3, 2)
    html = client.get(f"/ejercicios/{exercise.slug}/aportes/{root.pk}/").content.decode()
    nested_list = re.search(r'<ul class="replies replies-nested".*?</ul>', html, re.S).group(0)
    assert "Respuesta a la primera" in nested_list and "Respuesta a la anidada" in nested_list
    assert "Primera respuesta" not in nested_list


def test_a_reply_through_the_form_shows_at_once_without_premoderation(client, exercise):
    item = _submit(exercise, "Opinión abierta a respuestas")
    page = f"/ejercicios/{exercise.slug}/aportes/{item.pk}/"

    response = client.post(page, {"text": "Respuesta publicada"})

    reply = Contribution.objects.get(parent=item)
    assert response.status_code == 302
    assert response["Location"] == f"{page}#respuesta-{reply.pk}"
    assert "Respuesta publicada" in client.get(page).content.decode()
    short = client.post(page, {"text": "no"})
    assert short.status_code == 422 or short.status_code == 400
    assert Contribution.objects.filter(parent=item).count() == 1


def test_no_reply_once_the_exercise_closed(client, exercise):
    item = _submit(exercise, "Opinión antes del cierre")
    services.exercise_transition(exercise=exercise, to="analysis", by=exercise.created_by)

    response = client.post(
        f"/ejercicios/{exercise.slug}/aportes/{item.pk}/", {"text": "Respuesta tardía"}
    )

    assert response.status_code == 409
    assert not Contribution.objects.filter(parent=item).exists()
    assert "ya no se reciben respuestas" in response.content.decode()


# --- article comments on the exercise's page ----------------------------------------------


def test_article_comments_show_under_their_article_with_a_count_and_a_link(client, make_exercise):
    draft = make_exercise(status="draft", kind=Exercise.Kind.DRAFT_REGULATION)
    services.article_add(
        exercise=draft, by=draft.created_by, title="Objeto", body="Texto del objeto."
    )
    services.article_add(
        exercise=draft, by=draft.created_by, title="Alcance", body="Texto del alcance."
    )
    draft = _open(draft)
    for i in range(5):
        _submit(draft, f"Comentario {i} al objeto", kind="article_comment", article=1)

    html = client.get(draft.get_absolute_url()).content.decode()

    article = re.search(r'id="articulo-1".*?id="articulo-2"', html, re.S).group(0)
    assert "5 comentarios" in article
    assert "Comentario 4 al objeto" in article and "Comentario 2 al objeto" in article
    assert "Comentario 1 al objeto" not in article
    assert f"/ejercicios/{draft.slug}/aportes/?articulo=1" in article
    assert "0 comentarios" in html[html.index('id="articulo-2"') :]


# --- demo ---------------------------------------------------------------------------------


def test_demo_exercises_have_conversations(national_entities, client):
    out = io.StringIO()
    entities_demo(stdout=out)
    accounts_demo(stdout=out)
    exercises_demo(stdout=out)
    replies = Contribution.objects.filter(parent__isnull=False)
    count = replies.count()

    exercises_demo(stdout=out)

    assert replies.count() == count
    for exercise in Exercise.objects.filter(is_example=True):
        assert replies.filter(exercise=exercise, moderation="visible").exists(), exercise.slug
    assert replies.filter(parent__parent__isnull=False).exists()
    assert replies.filter(moderation="pending").exists()
    assert replies.filter(parent__kind="article_comment").exists()
    root = Contribution.objects.filter(reply_count__gt=0, parent__isnull=True).first()
    assert (
        root.reply_count == replies.filter(moderation="visible", pk__in=_thread_ids(root)).count()
    )
    page = client.get(f"/ejercicios/{root.exercise.slug}/aportes/{root.pk}/")
    assert page.status_code == 200 and "Ejemplo de demostración" in page.content.decode()


def _thread_ids(root):
    first = list(Contribution.objects.filter(parent=root).values_list("pk", flat=True))
    second = Contribution.objects.filter(parent_id__in=first).values_list("pk", flat=True)
    return first + list(second)


def test_supporting_from_a_contribution_page_comes_back_to_it_marked(client, exercise):
    item = _submit(exercise, "Propuesta para apoyar desde su página", kind="proposal")
    page = f"/ejercicios/{exercise.slug}/aportes/{item.pk}/"
    client.get(page)

    response = client.post(f"/ejercicios/{exercise.slug}/apoyar/{item.pk}/", {"volver": page})

    assert response["Location"] == f"{page}#aporte-{item.pk}"
    html = client.get(page).content.decode()
    assert "Usted apoyó esta propuesta" in html and "1 apoyo" in html
    assert "Usted apoyó esta propuesta" in _browse(client, exercise)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
@pytest.mark.parametrize("sort", ["recientes", "apoyos", "comentarios"])
def test_every_order_reads_an_index_in_its_order_without_sorting(exercise, sort):
    _submit(exercise, "Un aporte")
    rows = contribution_browse(exercise=exercise, filters=BrowseFilters(sort=sort))
    parts = [rows.qs] if isinstance(rows, KnownCount) else [rows.first, rows.rest]

    for qs in parts:
        sql, params = qs[:20].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(row[-1] for row in cursor.fetchall())
        assert "USE TEMP B-TREE" not in plan, plan
        assert "contrib_" in plan.split("LEFT-JOIN")[0], plan


# --- accessibility (browser-free; axe-core in a browser: `make a11y`) ---------------------


def test_browsing_pages_label_every_field_and_repeat_no_id(client, make_exercise, manager):
    draft = make_exercise(status="draft", kind=Exercise.Kind.DRAFT_REGULATION)
    services.article_add(exercise=draft, by=manager, body="Objeto del decreto.")
    services.question_add(exercise=draft, by=manager, kind="yes_no", text="¿Conoce la ruta?")
    draft = _open(draft)
    root = _submit(draft, "Comentario al objeto", kind="article_comment", article=1)
    first = services.reply_submit(parent=root, text="Primera respuesta").contribution
    services.reply_submit(parent=first, text="Respuesta anidada")
    page = f"/ejercicios/{draft.slug}/aportes/{root.pk}/"

    htmls = [
        client.get(draft.get_absolute_url()).content.decode(),
        _browse(client, draft, "?q=objeto&tipo=inventado"),
        client.get(page).content.decode(),
        client.post(page, {"text": "", "responde_a": first.pk}).content.decode(),
    ]

    for html in htmls:
        assert unlabelled_fields(html) == []
        assert duplicate_ids(html) == []
        assert skip_link_target(html) == "contenido"
    assert 'aria-invalid="true"' in htmls[3]


def test_the_moderation_queue_says_what_a_reply_answers(exercise, agriculture, make_staff):
    moderator = make_staff(agriculture, Role.MODERATOR)
    item = _submit(exercise, "Aporte con respuesta")
    services.reply_submit(parent=item, text="Respuesta que el equipo revisa")

    html = client_for(moderator).get(f"/ejercicios/gestion/{exercise.slug}/moderacion/")

    link = f'en respuesta al <a href="/ejercicios/{exercise.slug}/aportes/{item.pk}/">'
    assert link in html.content.decode()


def test_htmx_swaps_only_the_results(client, exercise):
    _submit(exercise, "Vías terciarias para la cosecha")

    response = client.get(f"/ejercicios/{exercise.slug}/aportes/?q=vias", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "Vías terciarias" in html and "1 aporte encontrado" in html
    assert "<html" not in html and "<form" not in html.split('class="contributions"')[0]
