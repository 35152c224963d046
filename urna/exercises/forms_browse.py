"""Forms of the public browsing of an exercise's contributions: the search and filters of its
list (a GET form: its values are the page's address) and the reply to a contribution."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.core.channels import channel_choices
from urna.core.text import fold
from urna.exercises.models import CONTRIBUTION_CHANNELS, Contribution, Exercise
from urna.exercises.phases import phase
from urna.exercises.selectors_browse import SORTS, BrowseFilters
from urna.exercises.services import TEXT_MAX
from urna.territory.models import Department

ANSWERED = {"si": True, "no": False}


_departments: list[tuple[str, str]] = []


def _department_choices() -> list[tuple[str, str]]:
    """The departments in alphabetical order with accents folded (read once per process:
    DIVIPOLA rarely changes)."""
    if not _departments:
        rows = Department.objects.values_list("code", "display_name")
        _departments.extend(sorted(rows, key=lambda row: fold(row[1])))
    return list(_departments)


class ContributionSearchForm(forms.Form):
    """The list's search box, order and filters. Only the filters that apply to the exercise
    are offered: articles of a draft, its closed questions, the entity's answers once
    published."""

    q = forms.CharField(label=_("Buscar en los aportes"), required=False, max_length=200)
    orden = forms.ChoiceField(label=_("Ordenar por"), required=False)
    tipo = forms.ChoiceField(label=_("Tipo de aporte"), required=False)
    articulo = forms.TypedChoiceField(
        label=_("Artículo"), required=False, coerce=int, empty_value=None
    )
    pregunta = forms.TypedChoiceField(
        label=_("Pregunta"), required=False, coerce=int, empty_value=None
    )
    departamento = forms.ChoiceField(label=_("Departamento"), required=False)
    canal = forms.ChoiceField(label=_("Canal"), required=False)
    respuesta = forms.ChoiceField(label=_("Respuesta de la entidad"), required=False)

    def __init__(
        self, *args: Any, exercise: Exercise, compact: bool = False, **kwargs: Any
    ) -> None:
        # Its own ids: on the exercise's page it sits beside the other forms.
        kwargs.setdefault("auto_id", "buscar-%s")
        super().__init__(*args, **kwargs)
        everything = [("", _("Todos"))]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["autocomplete"] = "off"
        self.fields["orden"].choices = list(SORTS.items())
        if compact:
            # The exercise's page offers the search and the order; the list has every filter.
            for name in set(self.fields) - {"q", "orden"}:
                del self.fields[name]
            return
        self.fields["tipo"].choices = everything + list(Contribution.Kind.choices)
        self.fields["departamento"].choices = everything + _department_choices()
        self.fields["canal"].choices = everything + channel_choices(CONTRIBUTION_CHANNELS)
        articles = [(a.number, str(a)) for a in exercise.articles.all()]
        questions = [(q.number, f"{q.number}. {q.text}") for q in exercise.questions.all()]
        if articles:
            self.fields["articulo"].choices = everything + articles
        else:
            del self.fields["articulo"]
        if questions:
            self.fields["pregunta"].choices = [("", _("Todas"))] + questions
        else:
            del self.fields["pregunta"]
        if phase(exercise.status).shows_results:
            self.fields["respuesta"].choices = everything + [
                ("si", _("Con respuesta")),
                ("no", _("Sin respuesta")),
            ]
        else:
            del self.fields["respuesta"]

    def filters(self) -> BrowseFilters:
        """The list's filters: the valid values (a value that is not one the form offers is
        left out, with its error beside the field)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return BrowseFilters(
            q=(data.get("q") or "").strip(),
            kind=data.get("tipo") or "",
            article=data.get("articulo"),
            question=data.get("pregunta"),
            department=data.get("departamento") or "",
            channel=data.get("canal") or "",
            answered=ANSWERED.get(data.get("respuesta") or ""),
            sort=data.get("orden") or "recientes",
        )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Su respuesta"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Se publica sin su nombre ni sus datos de contacto: si los escribe en el texto, "
            "Urna los oculta."
        ),
    )
    # The reply it answers (a first-level reply of this contribution); empty: the contribution.
    responde_a = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Left empty by people; bots fill it (as in the participation form).
    sitio_web = forms.CharField(
        required=False,
        label=_("No llene este campo"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
