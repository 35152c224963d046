from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urna.core.channels import OPERATOR_CHANNELS, Channel, channel_choices
from urna.core.widgets import DateInput

KIND_CHOICES = [
    ("opinion", _("Opinión")),
    ("proposal", _("Propuesta")),
    ("question", _("Pregunta al gobierno")),
]


class ErrorsDescribed:
    """Link each field's errors to it (aria-describedby), as every Urna form does."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] = f"id_{name}-error"
                attrs["aria-invalid"] = "true"


class SessionForm(ErrorsDescribed, forms.Form):
    exercise = forms.ModelChoiceField(queryset=None, label=_("Ejercicio"))
    # Radio preselected, as when it led the list: most sessions are broadcasts.
    channel = forms.ChoiceField(
        choices=channel_choices(OPERATOR_CHANNELS), label=_("Canal"), initial=Channel.RADIO
    )
    programme = forms.CharField(
        label=_("Programa, emisora o lugar"), max_length=150, required=False
    )
    date = forms.DateField(label=_("Fecha"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, exercises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises


class EntryForm(ErrorsDescribed, forms.Form):
    text = forms.CharField(
        label=_("Aporte"),
        max_length=5000,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, label=_("Tipo"), initial="opinion")
    municipality = forms.CharField(
        label=_("Municipio (código DANE, opcional)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Celular de quien llama (opcional)"), max_length=20, required=False
    )
    email = forms.EmailField(label=_("Correo de quien llama (opcional)"), required=False)
    consent = forms.BooleanField(
        label=_("Autorizó el tratamiento de sus datos (Ley 1581 de 2012)"), required=False
    )
    token = forms.CharField(widget=forms.HiddenInput)
