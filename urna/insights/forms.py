"""Forms of the analyst workspace. Choices of themes are filled in by the view."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.insights.services import K_MAX, K_MIN, LABEL_MAX

UNCLASSIFIED = "sin-clasificar"


class RunForm(forms.Form):
    k = forms.IntegerField(
        label=_("Número de temas (opcional)"),
        required=False,
        min_value=K_MIN,
        max_value=K_MAX,
        help_text=_("Déjelo vacío para que el análisis elija el número de temas."),
    )


class RenameForm(forms.Form):
    label = forms.CharField(
        label=_("Nombre del tema"),
        max_length=LABEL_MAX,
        required=False,
        help_text=_("Déjelo vacío para volver a la etiqueta automática."),
    )


class FindingForm(forms.Form):
    is_finding = forms.BooleanField(label=_("Este tema es un hallazgo"), required=False)
    conclusion = forms.CharField(
        label=_("Conclusión"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_(
            "Obligatoria para un hallazgo (mínimo 10 caracteres); se publica en los resultados "
            "y el informe."
        ),
    )


class ThemeChoiceForm(forms.Form):
    """Merge into, or move to, another theme of the analysis."""

    target = forms.ChoiceField(label=_("Tema de destino"))

    def __init__(self, *args, themes=(), allow_unclassified=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(t.pk), t.name) for t in themes]
        if allow_unclassified:
            choices.append((UNCLASSIFIED, _("Sin clasificar")))
        self.fields["target"].choices = [("", _("Elija un tema")), *choices]


class PinForm(forms.Form):
    contribution = forms.IntegerField(min_value=1)
    pinned = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
