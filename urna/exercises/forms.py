"""Forms of the participation pages and of the staff tools. They only parse input: the rules
are in ``services``, whose InvalidInput errors are put back on the field they name
(``urna.core.web``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.core.text import fold
from urna.exercises.models import ClosedQuestion, Contribution, Exercise, ExerciseUpdate
from urna.exercises.services import TEXT_MAX
from urna.territory.models import Municipality

_municipality_choices: list = []


def municipality_choices() -> list:
    """Municipalities grouped by department, both in alphabetical order with accents folded
    ("Cáceres" before "Copacabana"; a database sorts "á" after "z"). Built once per process:
    DIVIPOLA rarely changes."""
    if not _municipality_choices:
        rows = Municipality.objects.values_list("code", "display_name", "department__display_name")
        groups: dict[str, list] = {}
        for code, name, department in sorted(rows, key=lambda r: (fold(r[2]), fold(r[1]))):
            groups.setdefault(department, []).append((code, name))
        _municipality_choices.extend(groups.items())
    return [("", _("Prefiero no decirlo")), *_municipality_choices]


TEXT_KINDS = [
    (Contribution.Kind.OPINION, _("Opinión")),
    (Contribution.Kind.PROPOSAL, _("Propuesta")),
    (Contribution.Kind.QUESTION, _("Pregunta al gobierno")),
]


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("¿Qué quiere enviar?"), choices=TEXT_KINDS)
    article = forms.TypedChoiceField(
        label=_("Artículo que comenta"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Elija un artículo si su comentario es sobre uno en particular."),
    )
    text = forms.CharField(
        label=_("Su aporte"),
        max_length=TEXT_MAX,
        min_length=3,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Entre 3 y 5.000 caracteres. No escriba datos personales: el texto es público."
        ),
    )
    municipality = forms.ChoiceField(
        label=_("Municipio donde vive"), required=False, choices=(), help_text=_("Opcional.")
    )
    phone = forms.CharField(
        label=_("Celular (opcional)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Sólo si quiere que le avisemos de la respuesta."),
    )
    email = forms.EmailField(
        label=_("Correo electrónico (opcional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Autorizo el tratamiento de mis datos de contacto para recibir la respuesta "
            "(Ley 1581 de 2012)."
        ),
        required=False,
    )
    campaigns = forms.BooleanField(
        label=_(
            "También quiero recibir información del Gobierno en ese celular o correo (puedo "
            "dejar de recibirla respondiendo SALIR o con el enlace de cada mensaje)."
        ),
        required=False,
    )
    age_range = forms.ChoiceField(
        label=_("Edad"),
        required=False,
        choices=[("", _("Prefiero no decirlo")), *Contribution.AgeRange.choices],
    )
    gender = forms.ChoiceField(
        label=_("Género"),
        required=False,
        choices=[("", _("Prefiero no decirlo")), *Contribution.Gender.choices],
    )
    ethnic_group = forms.ChoiceField(
        label=_("Grupo étnico con el que se reconoce"),
        required=False,
        choices=[("", _("Prefiero no decirlo")), *Contribution.EthnicGroup.choices],
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    sitio_web = forms.CharField(required=False, label=_("No llene este campo"))

    def __init__(self, *args: Any, exercise: Exercise, **kwargs: Any):
        super().__init__(*args, **kwargs)
        articles = list(exercise.articles.all())
        kinds = list(TEXT_KINDS)
        if articles:
            kinds.append((Contribution.Kind.ARTICLE_COMMENT, _("Comentario a un artículo")))
            self.fields["article"].choices = [("", _("Ninguno en particular"))] + [
                (a.number, str(a)) for a in articles
            ]
        else:
            del self.fields["article"]
        self.fields["kind"].choices = kinds
        self.fields["municipality"].choices = municipality_choices()
        self.fields["sitio_web"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == Contribution.Kind.ARTICLE_COMMENT and not data.get("article"):
            self.add_error("article", _("Indique el artículo que comenta."))
        if (data.get("phone") or data.get("email")) and not data.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Para guardar su contacto debe autorizar el tratamiento de sus datos "
                    "personales (Ley 1581 de 2012)."
                ),
            )
        return data


class AnswerForm(forms.Form):
    """One closed question; the field type follows the question's kind."""

    def __init__(self, *args: Any, question: ClosedQuestion, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.question = question
        options = [(o.key, o.label) for o in question.options.all()]
        if question.kind == ClosedQuestion.Kind.MULTIPLE:
            field: forms.Field = forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple
            )
        else:
            field = forms.ChoiceField(choices=options, widget=forms.RadioSelect)
        field.label = question.text
        self.fields["choice"] = field
        self.prefix = f"p{question.number}"


class SupportForm(forms.Form):
    pass


# --- staff ------------------------------------------------------------------------------------

DATE_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ExerciseForm(forms.Form):
    owner = forms.ChoiceField(label=_("Entidad responsable"))
    title = forms.CharField(label=_("Título"), max_length=200)
    summary = forms.CharField(
        label=_("Resumen"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Texto (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    kind = forms.ChoiceField(label=_("Tipo"), choices=Exercise.Kind.choices)
    code = forms.CharField(
        label=_("Código corto (SMS/USSD)"),
        required=False,
        max_length=12,
        help_text=_("Letras y números, por ejemplo AGRO."),
    )
    topics = forms.CharField(label=_("Temas"), required=False, help_text=_("Separados por comas."))
    scope = forms.ChoiceField(label=_("Alcance territorial"), choices=Exercise.Scope.choices)
    department_code = forms.CharField(
        label=_("Departamento (código DANE)"), required=False, max_length=2
    )
    municipality_code = forms.CharField(
        label=_("Municipio (código DANE)"), required=False, max_length=5
    )
    opens_at = forms.DateTimeField(label=_("Apertura"), required=False, widget=DATE_INPUT)
    closes_at = forms.DateTimeField(label=_("Cierre"), required=False, widget=DATE_INPUT)
    results_due_at = forms.DateTimeField(
        label=_("Resultados previstos"), required=False, widget=DATE_INPUT
    )
    premoderation = forms.BooleanField(label=_("Moderación previa de aportes"), required=False)
    support_threshold = forms.IntegerField(
        label=_("Umbral de apoyos"),
        required=False,
        min_value=1,
        max_value=10_000_000,
        help_text=_(
            "Apoyos que necesita una propuesta para que la entidad la estudie (por ejemplo 300). "
            "Vacío: sin umbral."
        ),
    )

    def __init__(self, *args: Any, owners: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(e.pk, e.name) for e in owners]


class SupportThresholdForm(forms.Form):
    support_threshold = ExerciseForm.base_fields["support_threshold"]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Exercise.Status.choices, widget=forms.HiddenInput)
    justification = forms.CharField(
        label=_("Justificación del plazo reducido (si aplica)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Obligatoria si un proyecto de norma queda abierto menos del plazo mínimo; "
            "se publica en la página del ejercicio."
        ),
    )


class ArticleForm(forms.Form):
    label = forms.CharField(label=_("Rótulo"), required=False, max_length=60)
    title = forms.CharField(label=_("Título"), required=False, max_length=200)
    body = forms.CharField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 5}))


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de pregunta"), choices=ClosedQuestion.Kind.choices)
    text = forms.CharField(label=_("Pregunta"), max_length=300)
    options = forms.CharField(
        label=_("Opciones (una por línea)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sólo para selección única o múltiple."),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Título del documento"), max_length=200)
    file = forms.FileField(label=_("Archivo (PDF, DOCX u ODT, máximo 10 MB)"))


class ModerationForm(forms.Form):
    to = forms.ChoiceField(choices=Contribution.Moderation.choices, label=_("Estado"))
    reason = forms.CharField(label=_("Razón pública"), required=False, max_length=300)


# --- Following an exercise and its updates ---------------------------------------------------


class FollowForm(forms.Form):
    """On the exercise page beside other forms: its ids are its own (``seguir_…``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "seguir_%s")
        super().__init__(*args, **kwargs)

    address = forms.CharField(
        label=_("Celular o correo electrónico"),
        help_text=_("Le enviaremos un código para confirmar que es suyo."),
        max_length=254,
    )
    whatsapp = forms.BooleanField(label=_("En mi celular, prefiero WhatsApp a SMS"), required=False)
    consent = forms.BooleanField(
        label=_(
            "Autorizo el tratamiento de mi celular o correo para que Urna me cuente qué pasa con "
            "este ejercicio (resultados y novedades), según la Ley 1581 de 2012. Puedo dejar de "
            "seguirlo en esta página o con el enlace de cada mensaje."
        ),
        required=True,
    )


class UnfollowForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "dejar_%s")
        super().__init__(*args, **kwargs)

    address = forms.CharField(
        label=_("Celular o correo electrónico con el que lo sigue o participó"), max_length=254
    )


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de novedad"), choices=ExerciseUpdate.Kind.choices)
    title = forms.CharField(label=_("Título"), max_length=200)
    body = forms.CharField(
        label=_("Texto (Markdown: enlaces con [texto](https://…))"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class UpdateCreateForm(UpdateForm):
    document_title = forms.CharField(
        label=_("Título del documento (opcional)"), max_length=200, required=False
    )
    document = forms.FileField(
        label=_("Documento (PDF, DOCX u ODT, máximo 10 MB; opcional)"), required=False
    )
    publish = forms.BooleanField(
        label=_("Publicar ya y avisar a quienes participaron o siguen el ejercicio"),
        required=False,
    )
