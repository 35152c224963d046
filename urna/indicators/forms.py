"""Forms of the indicators' pages: the dashboard's filters (a GET form that works without
JavaScript) and the platform team's manual figures and goals. The figures are typed as text:
the services parse and validate them, so a page, a command and a test get the same Spanish
error on the same field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urna.entities.models import Entity
from urna.indicators.engine.reads import definitions
from urna.indicators.models import ManualIndicator
from urna.territory.models import Department


def _entity_field() -> forms.ModelChoiceField:
    """An optional entity: none means the whole platform. The queryset is evaluated per form."""
    return forms.ModelChoiceField(
        label=_("Entidad (opcional)"),
        required=False,
        empty_label=_("Toda la plataforma"),
        queryset=Entity.objects.active().exclude(kind=Entity.Kind.PLATFORM).order_by("name"),
    )


class DashboardFilters(forms.Form):
    anio = forms.TypedChoiceField(label=_("Año"), coerce=int, required=False)
    entidad = forms.ChoiceField(label=_("Entidad"), required=False)
    departamento = forms.ChoiceField(label=_("Departamento"), required=False)

    def __init__(self, *args, years: list[int], entities: list[Entity], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anio"].choices = [(y, str(y)) for y in years]
        self.fields["entidad"].choices = [("", _("Todas las entidades"))] + [
            (e.slug, e.name) for e in entities
        ]
        self.fields["departamento"].choices = [("", _("Todos los departamentos"))] + [
            (d.code, d.display_name)
            for d in Department.objects.order_by("display_name").only("code", "display_name")
        ]

    def clean(self):
        data = super().clean()
        if data.get("entidad") and data.get("departamento"):
            self.add_error(
                "departamento", _("Elija una entidad o un departamento, no los dos a la vez.")
            )
        return data


class StaffScope(forms.Form):
    anio = forms.TypedChoiceField(label=_("Año"), coerce=int, required=False)
    entidad = forms.ChoiceField(label=_("Entidad"), required=False)

    def __init__(self, *args, years: list[int], entities: list[Entity], everything: bool, **kw):
        super().__init__(*args, **kw)
        self.fields["anio"].choices = [(y, str(y)) for y in years]
        choices = [(str(e.pk), e.name) for e in entities]
        if everything:
            choices.insert(0, ("", _("Toda la plataforma")))
        self.fields["entidad"].choices = choices


class ManualIndicatorForm(forms.Form):
    key = forms.CharField(
        label=_("Clave"),
        max_length=60,
        help_text=_("Minúsculas, números y guiones bajos; no cambia (por ejemplo seguidores_x)."),
    )
    label = forms.CharField(label=_("Nombre"), max_length=160)
    group = forms.ChoiceField(label=_("Grupo"), choices=ManualIndicator.Group.choices)
    unit = forms.ChoiceField(label=_("Unidad"), choices=ManualIndicator.Unit.choices)
    aggregation = forms.ChoiceField(
        label=_("Valor del año"),
        choices=ManualIndicator.Aggregation.choices,
        help_text=_(
            "Suma de los meses para lo que se acumula (menciones); último dato para lo que se "
            "mide en un momento (seguidores, porcentajes)."
        ),
    )
    source = forms.CharField(label=_("Fuente habitual"), max_length=200)
    description = forms.CharField(
        label=_("Qué mide"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["key"]


class ManualValueForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicador"), queryset=ManualIndicator.objects.order_by("label")
    )
    period = forms.CharField(
        label=_("Periodo"),
        max_length=7,
        help_text=_("El año (2025) o el año y el mes (2025-03)."),
    )
    value = forms.CharField(
        label=_("Valor"),
        max_length=24,
        help_text=_("Un número sin puntos de miles; decimales con coma o punto."),
    )
    entity = _entity_field()
    source = forms.CharField(
        label=_("Fuente"),
        max_length=200,
        required=False,
        help_text=_("Si la deja vacía, se usa la fuente habitual del indicador."),
    )
    note = forms.CharField(label=_("Nota"), max_length=300, required=False)


class ManualValueEditForm(forms.Form):
    value = forms.CharField(label=_("Valor"), max_length=24)
    source = forms.CharField(label=_("Fuente"), max_length=200)
    note = forms.CharField(label=_("Nota"), max_length=300, required=False)


def indicator_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every indicator a goal may be set for, grouped: computed, then manual."""
    computed = [(d.key, str(d.label)) for d in definitions()]
    manual = list(ManualIndicator.objects.order_by("label").values_list("key", "label"))
    groups = [(str(_("Calculados por Urna")), computed)]
    if manual:
        groups.append((str(_("Registrados a mano")), manual))
    return groups


class GoalForm(forms.Form):
    key = forms.ChoiceField(label=_("Indicador"))
    year = forms.IntegerField(label=_("Año"), min_value=2000, max_value=2100)
    target = forms.CharField(
        label=_("Meta"),
        max_length=24,
        help_text=_("Para los días de respuesta y las consultas vencidas, la meta es un máximo."),
    )
    entity = _entity_field()
    note = forms.CharField(label=_("Nota"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = indicator_choices()
