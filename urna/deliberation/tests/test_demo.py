"""The demo deliberation loads on the demo exercise, once, with groups and consensus."""

import io

import pytest
from django.core.management import call_command

from urna.deliberation.models import Deliberation, Statement
from urna.deliberation.selectors import result_view


@pytest.mark.slow
def test_the_demo_deliberation_has_groups_and_consensus(db):
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)  # a second run adds nothing

    deliberation = Deliberation.objects.get(exercise__slug="pacto-agrario")
    view = result_view(deliberation)
    assert deliberation.is_example
    assert "the demo deliberation exists already" in out.getvalue()
    assert deliberation.statements.filter(moderation=Statement.Moderation.PUBLISHED).count() == 30
    assert deliberation.statements.filter(moderation=Statement.Moderation.PENDING).count() == 2
    assert view.result.participant_count == 400
    assert len(view.groups) == 3
    assert all(g.statements for g in view.groups)
    assert view.consensus["agree"] and view.consensus["disagree"]
