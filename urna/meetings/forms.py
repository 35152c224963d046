"""Forms of the meetings' pages. They only parse input: the rules are in the services, whose
errors are put back on the field they name (``urna.core.web``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.exercises.forms import DATE_INPUT, municipality_choices
from urna.exercises.models import Contribution
from urna.meetings.models import Meeting


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre (opcional)"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Celular"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Celular o correo: uno de los dos, para confirmarle y recordarle."),
    )
    whatsapp = forms.BooleanField(label=_("En mi celular, prefiero WhatsApp a SMS"), required=False)
    email = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Autorizo el tratamiento de mi celular o correo para confirmar mi inscripción, "
            "recordarme el encuentro y contarme qué pasa con mi participación (Ley 1581 de "
            "2012). Puedo cancelar la inscripción con el código que recibiré."
        ),
        required=True,
        error_messages={
            "required": _(
                "Para inscribirle debemos guardar su contacto: marque la autorización de "
                "tratamiento de datos (Ley 1581 de 2012)."
            )
        },
    )

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("phone") or data.get("email")) and "email" not in self.errors:
            self.add_error(
                "phone", _("Escriba un celular o un correo para confirmarle la inscripción.")
            )
        return data


class CancelForm(forms.Form):
    code = forms.CharField(
        label=_("Código de inscripción"),
        max_length=20,
        help_text=_("Lo recibió al inscribirse, por ejemplo EN-2026-7KQ4M9X."),
    )


class MeetingForm(forms.Form):
    entity = forms.TypedChoiceField(label=_("Entidad"), coerce=int, choices=())
    title = forms.CharField(label=_("Título"), max_length=200)
    kind = forms.ChoiceField(label=_("Tipo"), choices=Meeting.Kind.choices)
    description = forms.CharField(
        label=_("Descripción (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    mode = forms.ChoiceField(
        label=_("Modalidad"), choices=Meeting.Mode.choices, widget=forms.RadioSelect
    )
    municipality_code = forms.ChoiceField(
        label=_("Municipio (presencial)"), required=False, choices=()
    )
    address = forms.CharField(label=_("Dirección (presencial)"), max_length=200, required=False)
    video_url = forms.URLField(
        label=_("Enlace de la videollamada (virtual)"), required=False, assume_scheme="https"
    )
    starts_at = forms.DateTimeField(label=_("Empieza"), widget=DATE_INPUT)
    ends_at = forms.DateTimeField(label=_("Termina"), widget=DATE_INPUT)
    capacity = forms.IntegerField(
        label=_("Cupos"), required=False, min_value=1, help_text=_("Vacío: sin límite.")
    )
    registration_open = forms.BooleanField(
        label=_("Inscripciones abiertas"), required=False, initial=True
    )
    exercise_slug = forms.ChoiceField(label=_("Ejercicio (opcional)"), required=False, choices=())

    def __init__(self, *args: Any, entities: list, exercises: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [(e.pk, e.name) for e in entities]
        self.fields["municipality_code"].choices = [
            ("", _("Elija un municipio")),
            *municipality_choices()[1:],
        ]
        self.fields["exercise_slug"].choices = [
            ("", _("Ninguno: un encuentro de la entidad")),
            *[(x.slug, x.title) for x in exercises],
        ]


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_(
            "Motivo de la cancelación (público: se muestra en la página y se envía a los inscritos)"
        ),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_(
            "Confirmo que cancelo el encuentro: se cierran las inscripciones y se avisa a todas "
            "las personas inscritas y en lista de espera. No se puede deshacer."
        ),
        required=True,
        error_messages={"required": _("Marque la confirmación para cancelar el encuentro.")},
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Acta (Markdown): qué se habló, qué se acordó, próximos pasos"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class ContributionEntryForm(forms.Form):
    """Shown on the meeting's staff page beside the meeting's own form, which has a ``kind``
    too: its fields' ids are its own (``id_contribution_kind``), so each label finds its field."""

    kind = forms.ChoiceField(
        label=_("Tipo de aporte"),
        choices=[
            (Contribution.Kind.OPINION, _("Opinión")),
            (Contribution.Kind.PROPOSAL, _("Propuesta")),
            (Contribution.Kind.QUESTION, _("Pregunta al gobierno")),
        ],
    )
    text = forms.CharField(
        label=_("Lo que dijo la persona (sin datos personales: el texto es público)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_contribution_%s")
        super().__init__(*args, **kwargs)
