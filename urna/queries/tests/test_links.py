"""Links in messages to citizens are absolute: a mail client has no page to resolve /r/… on."""

import re

import pytest

from urna.messaging.models import OutboundMessage
from urna.queries import services

pytestmark = pytest.mark.django_db


def test_answer_email_links_to_the_query_with_the_site_address(settings, submit, agri, manager):
    settings.URNA_SITE_URL = "https://urna.example.gov.co"
    query = submit(agri, email="ciudadana@example.org")

    services.query_answer(query=query, text="Los requisitos están en el portal.", by=manager)

    answer = OutboundMessage.objects.get(to="ciudadana@example.org", subject__contains="Respuesta")
    assert f"https://urna.example.gov.co/r/{query.receipt}" in answer.body
    assert not re.search(r"(?<![\w.:/])/r/PQ-", answer.body)


def test_links_fall_back_to_public_base_url_then_the_local_address(settings, submit, agri):
    settings.URNA_SITE_URL = ""
    settings.PUBLIC_BASE_URL = ""
    query = submit(agri, email="local@example.org")
    settings.PUBLIC_BASE_URL = "https://publica.example.gov.co"
    other = submit(agri, email="publica@example.org")

    local = OutboundMessage.objects.get(to="local@example.org")
    public = OutboundMessage.objects.get(to="publica@example.org")
    assert f"http://127.0.0.1:8000/r/{query.receipt}" in local.body
    assert f"https://publica.example.gov.co/r/{other.receipt}" in public.body
