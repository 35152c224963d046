"""Forms of the deliberation pages: a vote, a proposal, and the staff's settings, seed statement
and moderation. The services validate again; these give the page its fields and labels."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.deliberation.models import Deliberation, Statement
from urna.deliberation.services import STATEMENT_MAX, STATEMENT_MIN


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(
        label=_("Su voto"),
        choices=[("1", _("De acuerdo")), ("-1", _("En desacuerdo")), ("0", _("Paso"))],
        coerce=int,
    )


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Su afirmación"),
        min_length=STATEMENT_MIN,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Formatted here, in the request's language: a lazy string formatted in the class body
        # is turned into Spanish once, at import.
        self.fields["text"].help_text = _(
            "Una idea corta y clara con la que otras personas puedan estar de acuerdo o no "
            "(entre %(min)s y %(max)s caracteres). No escriba datos personales: se revisa "
            "antes de publicarla."
        ) % {"min": STATEMENT_MIN, "max": STATEMENT_MAX}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Deliberation
        fields = ["question", "status", "accepts_proposals", "recompute_seconds", "min_votes"]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Nueva afirmación (publicada de inmediato)"),
        min_length=STATEMENT_MIN,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ModerationForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ChoiceField(
        label=_("Decisión"),
        choices=[
            (Statement.Moderation.PUBLISHED, _("Publicar")),
            (Statement.Moderation.REJECTED, _("Rechazar")),
        ],
    )
    reason = forms.CharField(label=_("Razón pública del rechazo"), max_length=300, required=False)
