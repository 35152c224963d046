from django import forms
from django.utils.translation import gettext_lazy as _

from urna.exercises.models import Decision
from urna.results.models import AnswerBatch


class ResponseForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decisión"), choices=Decision.choices)
    reason = forms.CharField(label=_("Razón"), widget=forms.Textarea(attrs={"rows": 3}))


class BulkAnswerForm(ResponseForm):
    selection = forms.ChoiceField(label=_("Responder a"), choices=AnswerBatch.Kind.choices)
    title = forms.CharField(
        label=_("Nombre del grupo de respuesta"), max_length=200, required=False
    )
    keep = forms.BooleanField(
        label=_("No sobrescribir respuestas ya dadas"), required=False, initial=True
    )


class TemplateForm(ResponseForm):
    title = forms.CharField(label=_("Título"), max_length=120)
    entity = forms.TypedChoiceField(label=_("Entidad"), coerce=int)

    field_order = ["entity", "title", "decision", "reason"]

    def __init__(self, *args, entities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [(e.pk, e.name) for e in entities]
