"""The staff forms of segments and campaigns. They only shape input: the rules (filters,
channels, each channel's content) are the services' (``filters_clean``, ``content_clean``),
whose errors land on the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.campaigns.filters import LANGUAGES
from urna.campaigns.models import Campaign
from urna.contacts.models import ConsentChannel
from urna.territory.models import Department

CODES_HELP = _("Separe los valores con comas o espacios.")


def _departments() -> list[tuple[str, str]]:
    return list(Department.objects.order_by("name").values_list("code", "name"))


class SegmentFiltersForm(forms.Form):
    """The filters alone: the count page (a GET form) and the segment editor share them."""

    topics = forms.CharField(
        label=_("Interés: temas"), required=False, help_text=_("Temas, p. ej. agro, salud.")
    )
    entities = forms.CharField(
        label=_("Interés: entidades"),
        required=False,
        help_text=_("Siglas, p. ej. MINAGRICULTURA."),
    )
    departments = forms.MultipleChoiceField(
        label=_("Interés: departamentos"), required=False, choices=()
    )
    municipalities = forms.CharField(
        label=_("Interés: municipios"), required=False, help_text=_("Códigos DANE de 5 dígitos.")
    )
    exercises = forms.CharField(
        label=_("Interés: ejercicios"), required=False, help_text=_("Identificadores (slug).")
    )
    in_departments = forms.MultipleChoiceField(
        label=_("Vive en los departamentos"), required=False, choices=()
    )
    in_municipalities = forms.CharField(
        label=_("Vive en los municipios"), required=False, help_text=_("Códigos DANE de 5 dígitos.")
    )
    channels = forms.MultipleChoiceField(
        label=_("Autorizó recibir por"),
        required=False,
        choices=ConsentChannel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(
        label=_("Finalidad autorizada"),
        choices=Campaign.Purpose.choices,
        initial=Campaign.Purpose.CAMPAIGNS,
        widget=forms.RadioSelect,
    )
    active_days = forms.IntegerField(
        label=_("Participó en los últimos (días)"), required=False, min_value=1, max_value=3650
    )
    took_part = forms.CharField(
        label=_("Participó en los ejercicios"),
        required=False,
        help_text=_("Identificadores (slug): aportó o sigue el ejercicio."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Idioma"),
        required=False,
        choices=[(code, code) for code in LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = _departments()
        self.fields["departments"].choices = departments
        self.fields["in_departments"].choices = departments
        for name in ("departments", "in_departments"):
            self.fields[name].widget.attrs["size"] = 6


class SegmentForm(SegmentFiltersForm):
    entity = forms.TypedChoiceField(label=_("Entidad"), coerce=int)
    name = forms.CharField(label=_("Nombre del segmento"), max_length=120)
    description = forms.CharField(
        label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["entity", "name", "description"]

    def __init__(self, *args, entities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [(e.pk, e.name) for e in entities]


CHANNEL_CHOICES = [("", _("(ninguno)")), *ConsentChannel.choices]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Nombre de la campaña"), max_length=150)
    segment = forms.TypedChoiceField(label=_("Segmento"), coerce=int)
    purpose = forms.ChoiceField(
        label=_("Finalidad"),
        choices=Campaign.Purpose.choices,
        help_text=_("Solo reciben quienes autorizaron esta finalidad por el canal."),
    )
    channel_1 = forms.ChoiceField(label=_("Primer canal"), choices=CHANNEL_CHOICES)
    channel_2 = forms.ChoiceField(
        label=_("Segundo canal"),
        choices=CHANNEL_CHOICES,
        required=False,
        help_text=_("Para quienes no autorizaron el primero."),
    )
    channel_3 = forms.ChoiceField(label=_("Tercer canal"), choices=CHANNEL_CHOICES, required=False)
    every_channel = forms.BooleanField(
        label=_("Enviar por todos los canales autorizados (no solo uno por persona)"),
        required=False,
    )
    sms_body = forms.CharField(
        label=_("Texto del SMS"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Variables: {nombre}, {municipio}, {enlace}, {enlace_baja}."),
    )
    email_subject = forms.CharField(label=_("Asunto del correo"), required=False, max_length=200)
    email_text = forms.CharField(
        label=_("Correo: versión en texto"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Obligatoria si envía por correo."),
    )
    email_html = forms.CharField(
        label=_("Correo: versión HTML (opcional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Se eliminan scripts, estilos y etiquetas no permitidas."),
    )
    whatsapp_template = forms.CharField(
        label=_("WhatsApp: nombre de la plantilla aprobada"), required=False, max_length=100
    )
    whatsapp_language = forms.CharField(
        label=_("WhatsApp: idioma de la plantilla"), required=False, max_length=10
    )
    whatsapp_params = forms.CharField(
        label=_("WhatsApp: parámetros"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Uno por línea; admiten variables."),
    )
    link_url = forms.URLField(
        label=_("Enlace ({enlace})"), required=False, max_length=1000, assume_scheme="https"
    )
    rate_per_second = forms.IntegerField(
        label=_("Mensajes por segundo (opcional)"),
        required=False,
        min_value=0,
        help_text=_("Nunca más que lo que permite el proveedor."),
    )

    def __init__(self, *args, segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [(s.pk, f"{s.name} ({s.entity})") for s in segments]

    def content(self) -> dict:
        """The service's keyword arguments from the cleaned data."""
        data = self.cleaned_data
        channels = [data.get(f"channel_{n}") for n in (1, 2, 3)]
        return {
            "name": data["name"],
            "purpose": data["purpose"],
            "every_channel": data["every_channel"],
            "rate_per_second": data.get("rate_per_second") or 0,
            "channels": [c for c in channels if c],
            "sms_body": data["sms_body"],
            "email_subject": data["email_subject"],
            "email_text": data["email_text"],
            "email_html": data["email_html"],
            "whatsapp_template": data["whatsapp_template"],
            "whatsapp_language": data["whatsapp_language"],
            "whatsapp_params": [p for p in data["whatsapp_params"].splitlines() if p.strip()],
            "link_url": data["link_url"],
        }

    def add_error_for(self, field: str | None, message: str) -> None:
        """A service error on ``channels`` goes on the first channel's field."""
        name = "channel_1" if field == "channels" else field
        self.add_error(name if name in self.fields else None, message)


def campaign_initial(campaign: Campaign) -> dict:
    channels = list(campaign.channels) + ["", "", ""]
    return {
        "name": campaign.name,
        "segment": campaign.segment_id,
        "purpose": campaign.purpose,
        "channel_1": channels[0],
        "channel_2": channels[1],
        "channel_3": channels[2],
        "every_channel": campaign.every_channel,
        "sms_body": campaign.sms_body,
        "email_subject": campaign.email_subject,
        "email_text": campaign.email_text,
        "email_html": campaign.email_html,
        "whatsapp_template": campaign.whatsapp_template,
        "whatsapp_language": campaign.whatsapp_language,
        "whatsapp_params": "\n".join(campaign.whatsapp_params),
        "link_url": campaign.link_url,
        "rate_per_second": campaign.rate_per_second or None,
    }


class TestSendForm(forms.Form):
    channel = forms.ChoiceField(label=_("Canal"), choices=ConsentChannel.choices)
    addresses = forms.CharField(
        label=_("Direcciones de prueba (máximo 5)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Celulares o correos, uno por línea."),
    )


class ScheduleForm(forms.Form):
    run_at = forms.DateTimeField(
        label=_("Fecha y hora del envío"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Vacío: ahora mismo."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Qué hay que cambiar"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
