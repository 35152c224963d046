"""The staff form of an exercise's plain-language page (the rules are in the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

HELP = _("Frases cortas y palabras de todos los días. Markdown: listas con «- », enlaces.")


class ExplainerForm(forms.Form):
    summary = forms.CharField(
        label=_("En una frase: ¿qué cambia para la gente?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    what_changes = forms.CharField(
        label=_("Qué cambia"), help_text=HELP, widget=forms.Textarea(attrs={"rows": 5})
    )
    for_whom = forms.CharField(
        label=_("Para quién"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    from_when = forms.CharField(
        label=_("Desde cuándo"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_you_can_do = forms.CharField(
        label=_("Qué puede hacer usted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Por ejemplo: participar en la consulta, ir a un encuentro, pedir el apoyo."),
    )
    publish = forms.BooleanField(
        label=_("Publicada (visible en la página del ejercicio)"), required=False
    )
