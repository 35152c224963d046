"""Staff pages: scoping by entity (another entity's staff get a 404 and change nothing), the
segment editor and its counts (htmx partial and plain GET), the campaign editor with its preview
and linked errors, approval by another person, the test send, and sending to the metrics page."""

import pytest
from django.urls import reverse

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.campaigns import services
from urna.campaigns.models import Campaign, Segment
from urna.jobs.services import run_pending
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_another_entitys_staff_get_404_everywhere_and_change_nothing(
    client, make_campaign, outsider, segment
):
    campaign = make_campaign()
    client.force_login(outsider)
    pages = [
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:edit", args=[campaign.pk]),
        reverse("campaigns:metrics", args=[campaign.pk]),
        reverse("campaigns:segment_edit", args=[segment.pk]),
    ]
    posts = [
        reverse("campaigns:action", args=[campaign.pk, "submit"]),
        reverse("campaigns:action", args=[campaign.pk, "cancel"]),
        reverse("campaigns:test_send", args=[campaign.pk]),
        reverse("campaigns:edit", args=[campaign.pk]),
    ]

    assert [client.get(url).status_code for url in pages] == [404] * 4
    assert [client.post(url, {"addresses": "3001234567"}).status_code for url in posts] == [404] * 4
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert campaign.name not in listing
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    assert not AuditEntry.objects.filter(actor=outsider).exists()
    assert not OutboundMessage.objects.exists()


def test_a_citizen_or_anonymous_visitor_never_sees_the_pages(client, make_campaign):
    campaign = make_campaign()
    response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_segment_editor_saves_and_counts_with_htmx_and_without(
    client, author, agriculture, make_contact
):
    make_contact(sms=True, department_id="52")
    make_contact(email=True, department_id="52")
    make_contact(sms=True, department_id="05")
    client.force_login(author)
    count_url = reverse("campaigns:segment_count")

    partial = client.get(
        count_url, {"in_departments": "52", "purpose": "campaigns"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    page = client.get(count_url, {"in_departments": "52", "purpose": "campaigns"})
    bad = client.get(count_url, {"in_municipalities": "123"}, HTTP_HX_REQUEST="true")
    created = client.post(
        reverse("campaigns:segment_create"),
        {
            "entity": agriculture.pk,
            "name": "Nariño",
            "in_departments": ["52"],
            "channels": ["sms"],
            "purpose": "campaigns",
        },
    )

    assert partial.startswith('<div id="conteo"') and "<html" not in partial
    assert "2 contactos cumplen los filtros." in partial
    assert "<html" in page.content.decode() and page.status_code == 200
    assert "Use códigos DANE de 5 dígitos." in bad.content.decode()
    segment = Segment.objects.get(name="Nariño")
    assert created.status_code == 302
    assert segment.filters == {
        "in_departments": ["52"],
        "channels": ["sms"],
        "purpose": "campaigns",
    }
    editor = client.get(reverse("campaigns:segment_edit", args=[segment.pk])).content.decode()
    assert "1 contacto cumple los filtros." in editor
    assert 'hx-get="/campanas/segmentos/conteo/"' in editor


def test_campaign_editor_previews_without_saving_and_links_errors(client, author, segment):
    client.force_login(author)
    url = reverse("campaigns:create")
    data = {
        "name": "Vías",
        "segment": segment.pk,
        "purpose": "campaigns",
        "channel_1": "sms",
        "sms_body": "Hola {nombre}: ¿cómo van las vías?",
    }

    preview = client.post(url, {**data, "vista_previa": "1"}).content.decode()
    partial = client.get(url, data, HTTP_HX_REQUEST="true").content.decode()
    invalid = client.post(url, {**data, "sms_body": ""})

    assert not Campaign.objects.exists()
    assert "UCS-2" in preview and "1 parte de hasta 70" in preview
    assert partial.startswith('<div id="vista-previa"')
    assert "Hola M••••: ¿cómo van las vías?" in partial
    body = invalid.content.decode()
    assert invalid.status_code == 400
    assert 'aria-describedby="id_sms_body_helptext id_sms_body_error"' in body
    assert 'id="id_sms_body_error"' in body and "Escriba el texto del SMS." in body

    saved = client.post(url, data)
    campaign = Campaign.objects.get()
    assert saved["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert (campaign.channels, campaign.status, campaign.created_by) == (["sms"], "draft", author)


def test_approval_on_the_page_by_another_person_then_sending_to_the_metrics(
    client, author, approver, make_campaign, make_contact, outbox
):
    for _ in range(3):
        make_contact(sms=True)
    make_contact(email=True)
    campaign = make_campaign()
    client.force_login(author)
    client.post(reverse("campaigns:action", args=[campaign.pk, "submit"]))
    own = client.post(reverse("campaigns:action", args=[campaign.pk, "approve"]))
    assert own.status_code == 403
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "usted la escribió" in page

    client.force_login(approver)
    client.post(reverse("campaigns:action", args=[campaign.pk, "approve"]))
    client.post(reverse("campaigns:action", args=[campaign.pk, "schedule"]), {"run_at": ""})
    run_pending()

    campaign.refresh_from_db()
    assert (campaign.status, campaign.approved_by) == ("sent", approver)
    metrics = client.get(reverse("campaigns:metrics", args=[campaign.pk])).content.decode()
    assert "<td>3</td>" in metrics  # SMS recipients and sent
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Resultados por canal" in detail


def test_test_send_from_the_page(client, author, make_campaign, outbox):
    campaign = make_campaign()
    client.force_login(author)

    client.post(
        reverse("campaigns:test_send", args=[campaign.pk]),
        {"channel": "sms", "addresses": "300 123 4567\n3109876543"},
    )
    too_many = client.post(
        reverse("campaigns:test_send", args=[campaign.pk]),
        {"channel": "sms", "addresses": ",".join(f"30012345{n:02d}" for n in range(6))},
        follow=True,
    )

    assert sorted(OutboundMessage.objects.values_list("to", flat=True)) == [
        "+573001234567",
        "+573109876543",
    ]
    assert "Como máximo 5 direcciones de prueba." in too_many.content.decode()
    assert AuditEntry.objects.filter(action="campaign.test_send").count() == 1


def test_editing_an_approved_campaign_on_the_page_sends_it_back_to_draft(
    client, approved, author, segment
):
    campaign = approved(channels=["sms"])
    client.force_login(author)
    client.post(
        reverse("campaigns:edit", args=[campaign.pk]),
        {
            "name": campaign.name,
            "segment": segment.pk,
            "purpose": "campaigns",
            "channel_1": "sms",
            "sms_body": "Otro texto",
        },
    )
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sms_body, campaign.approved_by) == (
        "draft",
        "Otro texto",
        None,
    )
    assert services.CONTENT_FIELDS[0] == "channels"


def test_the_list_and_a_campaign_link_its_segment_only_for_those_who_may_edit_it(
    client, agriculture, make_staff, author, segment, make_campaign
):
    campaign = make_campaign()
    manager = make_staff(agriculture, Role.MANAGER, username="gestora-agro")
    editor = reverse("campaigns:segment_edit", args=[segment.pk])
    pages = [reverse("campaigns:list"), reverse("campaigns:detail", args=[campaign.pk])]

    client.force_login(manager)
    manager_pages = [client.get(url).content.decode() for url in pages]
    manager_editor = client.get(editor)
    client.force_login(author)
    author_pages = [client.get(url).content.decode() for url in pages]

    assert all(segment.name in html for html in manager_pages)
    assert not any(f'href="{editor}"' in html for html in manager_pages)
    assert manager_editor.status_code == 404
    assert all(f'href="{editor}"' in html for html in author_pages)


def test_the_campaign_pages_in_english_are_in_english(client, settings, author, make_campaign):
    campaign = make_campaign()
    client.force_login(author)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    listing = client.get(reverse("campaigns:list")).content.decode()
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()

    assert "New campaign" in listing and "Segments" in listing
    assert "Nueva campaña" not in listing and "Segmentos" not in listing
    assert "Test send" in detail and "Envío de prueba" not in detail


def test_the_campaign_and_segment_editors_in_english_are_in_english(
    client, settings, author, make_campaign
):
    make_campaign()
    client.force_login(author)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    campaign = client.get(reverse("campaigns:create")).content.decode()
    segment = client.get(reverse("campaigns:segment_create")).content.decode()

    assert "Campaign name" in campaign and "SMS text" in campaign
    assert "Nombre de la campaña" not in campaign and "Texto del SMS" not in campaign
    assert "Segment name" in segment and "Interest: topics" in segment
    assert "Nombre del segmento" not in segment and "Interés: temas" not in segment
