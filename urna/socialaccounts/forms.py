"""Forms of the registry's pages: the directory's filters, the check, and the staff's account,
figure and import forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.core.widgets import DateInput
from urna.entities.models import Entity
from urna.socialaccounts.models import Network, SocialAccount, SocialImport


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Buscar"), required=False, max_length=100)
    red = forms.ChoiceField(label=_("Red"), required=False)
    nivel = forms.ChoiceField(label=_("Nivel"), required=False)
    departamento = forms.ChoiceField(label=_("Departamento"), required=False)
    entidad = forms.TypedChoiceField(
        label=_("Entidad"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, departments=(), entities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["red"].choices = [("", _("Todas")), *Network.choices]
        self.fields["nivel"].choices = [("", _("Todos")), *Entity.Level.choices]
        self.fields["departamento"].choices = [("", _("Todos"))] + [
            (d.code, d.display_name) for d in departments
        ]
        self.fields["entidad"].choices = [("", _("Todas"))] + [(e.pk, e.name) for e in entities]


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar"), required=False, max_length=100)
    red = forms.ChoiceField(label=_("Red"), required=False)
    estado = forms.ChoiceField(label=_("Estado"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["red"].choices = [("", _("Todas")), *Network.choices]
        self.fields["estado"].choices = [("", _("Todos")), *SocialAccount.Status.choices]


class AdviceForm(forms.Form):
    dias = forms.IntegerField(
        label=_("Días sin publicar para considerar inactiva una cuenta"),
        min_value=7,
        max_value=730,
        required=False,
    )


class CheckForm(forms.Form):
    cuenta = forms.CharField(
        label=_("Dirección o @nombre de la cuenta"),
        max_length=300,
        help_text=_("Por ejemplo https://www.facebook.com/NombreDeLaPagina o @nombredelacuenta."),
    )


class AccountForm(forms.Form):
    entity = forms.TypedChoiceField(label=_("Entidad"), coerce=int)
    network = forms.ChoiceField(label=_("Red"), choices=Network.choices)
    handle = forms.CharField(
        label=_("Cuenta (@nombre)"),
        required=False,
        max_length=120,
        help_text=_("Puede dejarlo vacío si escribe la dirección del perfil."),
    )
    profile_url = forms.CharField(
        label=_("Dirección del perfil"),
        required=False,
        max_length=300,
        help_text=_("Puede dejarla vacía si la red arma la dirección con el nombre de cuenta."),
    )
    name = forms.CharField(label=_("Nombre de la cuenta"), required=False, max_length=200)
    verified = forms.BooleanField(label=_("Verificada por la red"), required=False)
    status = forms.ChoiceField(label=_("Estado"), choices=SocialAccount.Status.choices)

    def __init__(self, *args, entities: list[Entity], **kwargs):
        super().__init__(*args, **kwargs)
        self.entities = {e.pk: e for e in entities}
        self.fields["entity"].choices = [(e.pk, e.name) for e in entities]


class FigureForm(forms.Form):
    day = forms.DateField(label=_("Fecha"), widget=DateInput())
    followers = forms.IntegerField(label=_("Seguidores"), min_value=0)
    posts = forms.IntegerField(
        label=_("Publicaciones desde la cifra anterior"), min_value=0, required=False
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Qué contiene el archivo"),
        choices=SocialImport.Kind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Archivo CSV o XLSX"),
        help_text=_(
            "Primera fila con los títulos. Cuentas: entidad (sigla), red, cuenta y/o url, y si "
            "quiere nombre, verificada, estado, desde. Cifras: red, cuenta y/o url, fecha, "
            "seguidores y, si las tiene, publicaciones."
        ),
    )
