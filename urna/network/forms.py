"""Forms of the response network's pages. They only parse input: the rules are in ``services``,
whose errors go back on the field they name (``urna.core.web``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.accounts.models import Role
from urna.core.widgets import DateInput
from urna.entities.models import Entity
from urna.exercises.forms import municipality_choices
from urna.network.services import EDITABLE_KINDS
from urna.queries.models import CONFIGURABLE_TYPES, TERM_DAYS, QueryType
from urna.territory.models import Department, Municipality


def _municipalities(blank: str) -> list:
    return [("", blank), *municipality_choices()[1:]]


def _departments(blank: str) -> list:
    return [
        ("", blank),
        *Department.objects.order_by("display_name").values_list("code", "display_name"),
    ]


class PlaceMixin:
    """A department and a municipality chosen by their DIVIPOLA codes."""

    def clean_department(self):
        code = self.cleaned_data.get("department")
        return Department.objects.filter(code=code).first() if code else None

    def clean_municipality(self):
        code = self.cleaned_data.get("municipality")
        if not code:
            return None
        return Municipality.objects.select_related("department").filter(code=code).first()


class EntityFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar por nombre o sigla"), required=False, max_length=100)
    tipo = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Todos"))] + list(Entity.Kind.choices)
    )
    inactivas = forms.BooleanField(label=_("Incluir las desactivadas"), required=False)


class EntityForm(PlaceMixin, forms.Form):
    name = forms.CharField(label=_("Nombre"), max_length=200)
    acronym = forms.CharField(
        label=_("Sigla"), max_length=40, help_text=_("Mayúsculas, números o guiones: MINTIC.")
    )
    kind = forms.ChoiceField(label=_("Tipo"), choices=[(k.value, k.label) for k in EDITABLE_KINDS])
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    parent = forms.ModelChoiceField(
        label=_("Entidad de la que depende"),
        queryset=Entity.objects.active().order_by("name"),
        required=False,
        empty_label=_("Ninguna"),
    )
    department = forms.ChoiceField(
        label=_("Departamento"),
        required=False,
        help_text=_("Para una gobernación o una entidad aliada territorial."),
    )
    municipality = forms.ChoiceField(
        label=_("Municipio"), required=False, help_text=_("Para una alcaldía.")
    )

    def __init__(self, *args, exclude_pk: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _departments(_("Ninguno"))
        self.fields["municipality"].choices = _municipalities(_("Ninguno"))
        if exclude_pk is not None:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=exclude_pk)


class OfficeForm(PlaceMixin, forms.Form):
    """A territorial office and its first administrator."""

    municipality = forms.ChoiceField(label=_("Municipio (alcaldía)"), required=False)
    department = forms.ChoiceField(
        label=_("o departamento (gobernación)"),
        required=False,
        help_text=_("Elija uno de los dos."),
    )
    first_name = forms.CharField(label=_("Nombre del administrador"), max_length=150)
    last_name = forms.CharField(label=_("Apellido"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Correo del administrador"),
        help_text=_("Recibe un enlace para definir su contraseña."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = _municipalities(_("Ninguno"))
        self.fields["department"].choices = _departments(_("Ninguno"))


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("Nombre"), max_length=150)
    last_name = forms.CharField(label=_("Apellido"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Correo electrónico"),
        help_text=_(
            "Si la persona aún no tiene cuenta, recibe un enlace para definir su contraseña."
        ),
    )
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices, initial=Role.MANAGER)
    is_lead = forms.BooleanField(
        label=_("Recibe los escalamientos de consultas vencidas (líder)"), required=False
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)


class RuleForm(PlaceMixin, forms.Form):
    priority = forms.IntegerField(
        label=_("Prioridad"),
        min_value=0,
        max_value=32767,
        initial=100,
        help_text=_("Las reglas se prueban de menor a mayor número; gana la primera que cumple."),
    )
    keywords = forms.CharField(
        label=_("Palabras clave"),
        max_length=500,
        required=False,
        help_text=_("Separadas por comas; basta con que aparezca una."),
    )
    query_type = forms.ChoiceField(
        label=_("Tipo de solicitud"),
        required=False,
        choices=[("", _("Cualquiera"))] + list(QueryType.choices),
    )
    department = forms.ChoiceField(label=_("Departamento"), required=False)
    municipality = forms.ChoiceField(label=_("Municipio"), required=False)
    active = forms.BooleanField(label=_("Activa"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _departments(_("Cualquiera"))
        self.fields["municipality"].choices = _municipalities(_("Cualquiera"))


class RoutingTestForm(PlaceMixin, forms.Form):
    texto = forms.CharField(
        label=_("Texto de ejemplo"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    tipo = forms.ChoiceField(label=_("Tipo de solicitud"), choices=QueryType.choices)
    municipality = forms.ChoiceField(label=_("Municipio"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = _municipalities(_("Sin municipio"))


class TermsForm(forms.Form):
    """One field per type whose term the entity may set; empty means the law's term."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in QueryType.choices:
            if value in CONFIGURABLE_TYPES:
                self.fields[value] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=1,
                    max_value=30,
                    help_text=_("Vacío: el de la ley (%(days)s días hábiles).")
                    % {"days": TERM_DAYS[value]},
                )


class NonWorkingDayForm(forms.Form):
    date = forms.DateField(label=_("Fecha"), widget=DateInput())
    reason = forms.CharField(label=_("Motivo"), max_length=200)


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Título"), max_length=120)
    body = forms.CharField(
        label=_("Texto"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Puede usar los marcadores de la lista; se llenan con los datos de la consulta."
        ),
    )
