"""Forms of the public pages and the workspace. They only parse input; rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.core.channels import Channel
from urna.core.widgets import DateInput
from urna.entities.models import Entity
from urna.queries.models import TEXT_MAX, TEXT_MIN, QueryState, QueryType

TYPE_HELP = {
    QueryType.PETICION: _("Pedir algo a una entidad (15 días hábiles)."),
    QueryType.INFORMACION: _("Pedir información o copias de documentos (10 días hábiles)."),
    QueryType.CONSULTA: _(
        "Pedir el concepto de la entidad sobre un tema a su cargo (30 días hábiles)."
    ),
    QueryType.QUEJA: _("Inconformidad con la conducta de un servidor público (15 días hábiles)."),
    QueryType.RECLAMO: _("Inconformidad con un servicio o trámite (15 días hábiles)."),
    QueryType.SUGERENCIA: _("Una propuesta para mejorar (15 días hábiles)."),
    QueryType.DENUNCIA: _(
        "Poner en conocimiento una posible irregularidad; puede ser anónima (15 días hábiles)."
    ),
    QueryType.DATOS_CONSULTA: _(
        "Saber qué datos personales suyos tiene la entidad (10 días hábiles)."
    ),
    QueryType.DATOS_RECLAMO: _("Corregir o suprimir sus datos personales (15 días hábiles)."),
}


class QueryForm(forms.Form):
    type = forms.ChoiceField(label=_("Tipo de solicitud"), choices=QueryType.choices)
    text = forms.CharField(
        label=_("Su solicitud"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Escriba con detalle qué necesita. No incluya datos personales de otras personas."
        ),
    )
    entity = forms.ModelChoiceField(
        label=_("Entidad (opcional)"),
        queryset=Entity.objects.none(),
        required=False,
        empty_label=_("No sé: que Urna la dirija"),
    )
    municipality = forms.CharField(
        label=_("Municipio (opcional)"), required=False, max_length=5, widget=forms.Select()
    )
    name = forms.CharField(label=_("Nombre (opcional)"), required=False, max_length=150)
    email = forms.EmailField(label=_("Correo electrónico (opcional)"), required=False)
    phone = forms.CharField(label=_("Celular (opcional)"), required=False, max_length=20)
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
    publication_consent = forms.BooleanField(
        label=_("Acepto que mi pregunta y su respuesta se publiquen sin mis datos personales."),
        required=False,
    )
    # Honeypot: hidden from people (CSS and aria-hidden, out of the tab order), filled in by bots.
    website = forms.CharField(
        required=False,
        label=_("No llene este campo"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = (
            Entity.objects.active().national().exclude(kind=Entity.Kind.PLATFORM).order_by("name")
        )
        self.fields["municipality"].widget.choices = [("", _("— Sin indicar —")), *municipalities]

    def clean(self):
        data = super().clean()
        has_contact = any(data.get(key) for key in ("email", "phone"))
        if has_contact and not data.get("consent"):
            self.add_error(
                "consent",
                _("Para guardar su contacto autorice el tratamiento de sus datos personales."),
            )
        return data


class CompletionForm(forms.Form):
    text = forms.CharField(
        label=_("Información que completa su solicitud"),
        min_length=2,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


INBOX_STATES = [
    ("open", _("Abiertas")),
    ("overdue", _("Vencidas")),
    *QueryState.choices,
    ("all", _("Todas")),
]


class InboxFilterForm(forms.Form):
    estado = forms.ChoiceField(label=_("Estado"), choices=INBOX_STATES, required=False)
    tipo = forms.ChoiceField(
        label=_("Tipo"), choices=[("", _("Todos")), *QueryType.choices], required=False
    )
    canal = forms.ChoiceField(label=_("Canal"), required=False)
    vence = forms.IntegerField(
        label=_("Vence en (días hábiles)"), required=False, min_value=0, max_value=60
    )
    mias = forms.BooleanField(label=_("Solo las asignadas a mí"), required=False)
    recibo = forms.CharField(label=_("Recibo"), required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canal"].choices = [("", _("Todos")), *Channel.choices]


class ExtendForm(forms.Form):
    new_due_date = forms.DateField(label=_("Nueva fecha de vencimiento"), widget=DateInput())
    reason = forms.CharField(
        label=_("Motivo (se le informa al ciudadano)"),
        # Its own id: the workspace shows this form beside the transfer's, which has a reason too.
        widget=forms.Textarea(attrs={"rows": 3, "id": "extend-reason"}),
    )


class TransferForm(forms.Form):
    to_entity = forms.ModelChoiceField(
        label=_("Entidad de destino en Urna"),
        queryset=Entity.objects.none(),
        required=False,
        empty_label=_("— Otra autoridad —"),
    )
    to_authority = forms.CharField(
        label=_("O nombre de la autoridad competente (si no está en Urna)"),
        required=False,
        max_length=200,
    )
    reason = forms.CharField(
        label=_("Motivo del traslado"),
        widget=forms.Textarea(attrs={"rows": 3, "id": "transfer-reason"}),
    )

    def __init__(self, *args, exclude_entity=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Entity.objects.active().exclude(kind=Entity.Kind.PLATFORM)
        if exclude_entity:
            qs = qs.exclude(pk=exclude_entity)
        self.fields["to_entity"].queryset = qs.order_by("level", "name")


class PublishForm(forms.Form):
    public_question = forms.CharField(
        label=_("Pregunta publicada"), widget=forms.Textarea(attrs={"rows": 4})
    )
    public_answer = forms.CharField(
        label=_("Respuesta publicada"), widget=forms.Textarea(attrs={"rows": 6})
    )
    consent_recorded = forms.BooleanField(
        label=_("El ciudadano autorizó la publicación (registre cómo en una nota)."), required=False
    )


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Título"), max_length=120)
    body = forms.CharField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 8}))
