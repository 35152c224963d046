from django import forms
from django.utils.translation import gettext_lazy as _

from urna.accounts.services import API_TOKEN_DAYS_MAX, API_TOKEN_NAME_MAX


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Usuario"), max_length=150)
    password = forms.CharField(label=_("Contraseña"), widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label=_("Código de verificación (aplicación autenticadora)"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CitizenSignupForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico"), required=False)
    phone = forms.CharField(
        label=_("Número de celular"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("Contraseña (mínimo 10 caracteres)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Autorizo el tratamiento de mis datos personales para gestionar mi cuenta, según la "
            "Ley 1581 de 2012."
        ),
        required=False,
    )


class ConfirmDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Entiendo que mi cuenta y mis datos de contacto se borrarán."), required=True
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre del token"),
        max_length=API_TOKEN_NAME_MAX,
        help_text=_("Para reconocerlo después, por ejemplo «Orfeo MinAgricultura»."),
    )
    days = forms.IntegerField(
        label=_("Vigencia en días (opcional)"),
        min_value=1,
        max_value=API_TOKEN_DAYS_MAX,
        required=False,
    )
