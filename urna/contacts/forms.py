from django import forms
from django.utils.translation import gettext_lazy as _


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
