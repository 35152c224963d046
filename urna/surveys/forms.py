"""Forms of the staff pages: upload an XLSForm, translate labels, upload margins, set quotas."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.surveys.form import Form

MAX_UPLOAD = 5 * 1024 * 1024


def _small(file: Any) -> Any:
    if file.size > MAX_UPLOAD:
        raise forms.ValidationError(_("El archivo supera 5 MB."))
    return file


class ImportForm(forms.Form):
    entity = forms.TypedChoiceField(label=_("Entidad"), coerce=int)
    file = forms.FileField(
        label=_("Archivo XLSForm (.xlsx o .xls)"),
        help_text=_("Con las hojas survey, choices y settings, como en ODK o KoboToolbox."),
    )

    def __init__(self, *args: Any, entities: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.entities = {e.pk: e for e in entities}
        self.fields["entity"].choices = [(e.pk, e.name) for e in entities]

    def clean_file(self) -> Any:
        return _small(self.cleaned_data["file"])


class MarginsForm(forms.Form):
    name = forms.CharField(label=_("Nombre"), max_length=150)
    source = forms.CharField(
        label=_("Fuente"),
        max_length=500,
        help_text=_("De dónde salen las cifras (entidad, tabla, año, dirección web)."),
    )
    file = forms.FileField(
        label=_("Archivo CSV"),
        help_text=_(
            "Columnas dimension (department, age_group o sex), category (el nombre de la opción "
            "en la encuesta) y population. Cada dimensión debe sumar la misma población."
        ),
    )

    def clean_file(self) -> Any:
        return _small(self.cleaned_data["file"])


class QuotasForm(forms.Form):
    quotas = forms.CharField(
        label=_("Cuotas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Una por línea: dimensión, categoría y meta, como «sex,mujer,300»."),
    )


class LabelsForm(forms.Form):
    """One text field per question and per choice, in one language of the survey."""

    title = forms.CharField(label=_("Título"), max_length=200, required=False)

    def __init__(self, *args: Any, form: Form, language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.language = language
        self.initial["title"] = form.title.get(language, "")
        self.groups: list[tuple[str, list[str]]] = []
        for name in form.order:
            question = form.questions[name]
            field = f"q__{name}"
            self.fields[field] = forms.CharField(
                label=form.label(question.label), max_length=500, required=False
            )
            self.initial[field] = question.label.get(language, "")
            names = [field]
            for choice in question.choices:
                cfield = f"c__{name}__{choice.name}"
                self.fields[cfield] = forms.CharField(
                    label=_("Opción: %(label)s") % {"label": form.label(choice.label)},
                    max_length=500,
                    required=False,
                )
                self.initial[cfield] = choice.label.get(language, "")
                names.append(cfield)
            self.groups.append((name, names))

    def bound_groups(self) -> list[tuple[str, list]]:
        return [(name, [self[f] for f in fields]) for name, fields in self.groups]

    def labels(self) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
        questions, choices = {}, {}
        for key, value in self.cleaned_data.items():
            parts = key.split("__")
            if parts[0] == "q":
                questions[parts[1]] = value
            elif parts[0] == "c":
                choices[(parts[1], parts[2])] = value
        return questions, choices


class InviteForm(forms.Form):
    channel = forms.ChoiceField(label=_("Canal"))
    departments = forms.MultipleChoiceField(
        label=_("Departamentos"),
        required=False,
        help_text=_("Ninguno marcado: todo el país."),
        widget=forms.CheckboxSelectMultiple,
    )
    remind_after_days = forms.IntegerField(
        label=_("Recordatorio a los días"),
        min_value=0,
        max_value=30,
        initial=3,
        help_text=_("Un solo recordatorio a quienes no hayan terminado; 0: sin recordatorio."),
    )

    def __init__(self, *args: Any, channels: list, departments: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channels
        self.fields["departments"].choices = departments
