from django import forms
from django.utils.translation import gettext_lazy as _

from urna.contacts.models import ConsentChannel, Purpose


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Celular o correo electrónico"),
        help_text=_("El mismo con el que participó o escribió a Urna."),
        max_length=254,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Código de 6 dígitos"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Entiendo que mis datos personales se borrarán y que no podré recibir respuestas."),
        required=True,
    )


PURPOSE_HELP = {
    "answers": _("Las respuestas a sus aportes y preguntas, y lo que pasó con los ejercicios."),
    "campaigns": _("Información del Gobierno nacional y territorial sobre sus acciones."),
    "surveys": _("Invitaciones a encuestas y consultas."),
}


def consent_field_name(purpose: str, channel: str) -> str:
    return f"c_{purpose}_{channel}"


class PreferencesForm(forms.Form):
    """What a citizen agrees to receive, one box per purpose and channel they have an address
    for; the boxes start as they are now."""

    def __init__(self, *args, channels: list[str], current: set[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs: list[tuple[str, str]] = []
        for purpose in Purpose:
            for channel in ConsentChannel:
                if channel.value not in channels:
                    continue
                name = consent_field_name(purpose.value, channel.value)
                self.fields[name] = forms.BooleanField(
                    label=f"{purpose.label} — {channel.label}",
                    required=False,
                    initial=(purpose.value, channel.value) in current,
                )
                self.pairs.append((purpose.value, channel.value))

    def chosen(self) -> set[tuple[str, str]]:
        return {(p, c) for p, c in self.pairs if self.cleaned_data.get(consent_field_name(p, c))}


class SubscribeForm(forms.Form):
    address = forms.CharField(
        label=_("Celular o correo electrónico"),
        help_text=_("Le enviaremos un código para confirmar que es suyo."),
        max_length=254,
    )
    campaigns = forms.BooleanField(
        label=_("Quiero recibir información del Gobierno (campañas)"), required=False
    )
    surveys = forms.BooleanField(
        label=_("Quiero recibir invitaciones a encuestas y consultas"), required=False
    )
    department = forms.CharField(
        label=_("Departamento donde vive (opcional)"), required=False, max_length=2
    )
    consent = forms.BooleanField(
        label=_(
            "Autorizo el tratamiento de mis datos personales para estos fines, según la Ley 1581 "
            "de 2012. Puedo retirar la autorización en cualquier momento respondiendo SALIR, con "
            "el enlace de cada mensaje o en esta página."
        ),
        required=True,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("campaigns") or data.get("surveys")):
            raise forms.ValidationError(_("Elija al menos qué quiere recibir."))
        return data


class OperatorConsentForm(forms.Form):
    """Consent given on a recorded call, entered by the operator who took it."""

    phone = forms.CharField(label=_("Celular"), required=False, max_length=30)
    email = forms.CharField(label=_("Correo electrónico"), required=False, max_length=254)
    action = forms.ChoiceField(
        label=_("Qué pidió el ciudadano"),
        choices=[("grant", _("Autorizar")), ("revoke", _("Retirar la autorización"))],
    )
    purposes = forms.MultipleChoiceField(
        label=_("Propósitos"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    channels = forms.MultipleChoiceField(
        label=_("Canales"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    evidence = forms.CharField(
        label=_("Referencia de la grabación de la llamada"),
        help_text=_("Por ejemplo: grabación 2026-12-04-0042 de la línea 195."),
        max_length=200,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purposes"].choices = Purpose.choices
        self.fields["channels"].choices = ConsentChannel.choices

    def clean(self):
        data = super().clean()
        if not ((data.get("phone") or "").strip() or (data.get("email") or "").strip()):
            raise forms.ValidationError(_("Escriba el celular o el correo del ciudadano."))
        return data
