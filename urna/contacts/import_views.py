"""Staff pages of contact imports: upload a file, map its columns, declare the consent basis,
follow the run and download the rejected rows.

Thin: each step calls a service of ``urna.contacts.imports``; an import is seen only by staff of
its entity (``contacts.view``), and changed or its rejected rows downloaded only with
``contacts.import`` there.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from urna.accounts.permissions import can, entity_ids_for, staff_required
from urna.accounts.staff_tools import tool_required
from urna.contacts import imports
from urna.contacts.models import ConsentChannel, ContactImport, Purpose
from urna.contacts.services import CONSENT_VERSION
from urna.core.spreadsheets import csv_download
from urna.core.web import run_action
from urna.entities.models import Entity


def _staff(view):
    return login_required(staff_required(view))


class UploadForm(forms.Form):
    entity = forms.TypedChoiceField(label=gettext_lazy("Entidad"), coerce=int, empty_value=None)
    file = forms.FileField(
        label=gettext_lazy("Archivo CSV o XLSX"),
        help_text=gettext_lazy(
            "La primera fila con los títulos de las columnas. CSV separado por comas, punto y "
            "coma o tabuladores, en UTF-8 o en la codificación de Excel."
        ),
    )

    def __init__(self, *args, entities: list[Entity], **kwargs):
        super().__init__(*args, **kwargs)
        self.entities = entities
        self.fields["entity"].choices = [(e.pk, e.name) for e in entities]
        if len(entities) == 1:
            # Staff of one entity are not asked which.
            self.fields["entity"].required = False
            self.fields["entity"].widget = forms.HiddenInput()

    def clean_entity(self) -> Entity:
        chosen = self.cleaned_data.get("entity")
        if len(self.entities) == 1:
            return self.entities[0]
        return next(e for e in self.entities if e.pk == chosen)


class MappingForm(forms.Form):
    """One choice of column for each field the file can fill."""

    def __init__(self, *args, contact_import: ContactImport, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— Ninguna —"))] + [
            (str(i), header) for i, header in enumerate(contact_import.headers)
        ]
        for field, (label, _words) in imports.TARGETS.items():
            column = contact_import.mapping.get(field)
            self.fields[field] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial="" if column is None else str(column),
            )


class ConsentBasisForm(forms.Form):
    basis = forms.ChoiceField(
        label=gettext_lazy("¿Cómo consta la autorización?"),
        choices=ContactImport.Basis.choices,
        widget=forms.RadioSelect,
    )
    purposes = forms.MultipleChoiceField(
        label=gettext_lazy("Para qué autorizaron"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Por qué canales"),
        choices=ConsentChannel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    text_version = forms.CharField(
        label=gettext_lazy("Versión del texto de autorización que firmaron o aceptaron"),
        max_length=20,
        initial=CONSENT_VERSION,
    )
    evidence = forms.CharField(
        label=gettext_lazy("Soporte de la autorización"),
        help_text=gettext_lazy(
            "Obligatorio si todas las personas del archivo autorizaron. Por ejemplo: "
            "«Formulario físico jornada Manizales 2026-10-03, archivo escaneado 44»."
        ),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _import(request: HttpRequest, pk: int, *, importing: bool = False) -> ContactImport:
    """The import when the user's entities include its entity (and, for ``importing``, they
    may import there); 404 otherwise: another entity's imports are not revealed."""
    found = imports.imports_visible(request.user).filter(pk=pk).first()
    if found is None or (importing and not can(request.user, imports.IMPORT_ACTION, found)):
        raise Http404
    return found


def _upload_entities(request: HttpRequest) -> list[Entity]:
    ids = entity_ids_for(request.user, imports.IMPORT_ACTION)
    entities = Entity.objects.active().order_by("name")
    return list(entities if ids is None else entities.filter(pk__in=ids))


@_staff
@tool_required("contacts:imports")
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    visible = imports.imports_visible(request.user)
    entities = _upload_entities(request)
    form = UploadForm(request.POST or None, request.FILES or None, entities=entities)
    if request.method == "POST":
        if not entities:
            raise Http404
        if form.is_valid():
            entity = form.cleaned_data["entity"]
            upload = form.cleaned_data["file"]
            created = run_action(
                request,
                lambda: imports.contact_import_upload(
                    entity=entity, by=request.user, upload=upload, name=upload.name
                ),
                form=form,
            )
            if created is not None:
                return redirect("contacts:import_columns", pk=created.pk)
    return render(
        request,
        "contacts/import_list.html",
        {"form": form if entities else None, "imports": visible[:50]},
        status=400 if form.errors else 200,
    )


@_staff
@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    contact_import = _import(request, pk, importing=True)
    if contact_import.status != ContactImport.Status.MAPPING:
        return redirect("contacts:import_detail", pk=pk)
    form = MappingForm(request.POST or None, contact_import=contact_import)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            lambda: imports.contact_import_map(
                contact_import=contact_import, mapping=form.cleaned_data, by=request.user
            ),
            form=form,
        )
        if saved is not None:
            return redirect("contacts:import_consent", pk=pk)
    return render(
        request,
        "contacts/import_columns.html",
        {
            "form": form,
            "contact_import": contact_import,
            "previous": imports.previous_import(contact_import),
        },
        status=400 if form.errors else 200,
    )


@_staff
@require_http_methods(["GET", "POST"])
def import_consent(request: HttpRequest, pk: int) -> HttpResponse:
    contact_import = _import(request, pk, importing=True)
    if contact_import.status != ContactImport.Status.MAPPING:
        return redirect("contacts:import_detail", pk=pk)
    initial = {
        "basis": ContactImport.Basis.COLUMN
        if "consent" in contact_import.mapping
        else ContactImport.Basis.DECLARATION
    }
    form = ConsentBasisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        started = run_action(
            request,
            lambda: imports.contact_import_start(
                contact_import=contact_import,
                basis=data["basis"],
                purposes=data["purposes"],
                channels=data["channels"],
                text_version=data["text_version"],
                evidence=data["evidence"],
                by=request.user,
            ),
            _("La importación quedó en cola. Esta página muestra su avance."),
            form=form,
        )
        if started is not None:
            return redirect("contacts:import_detail", pk=pk)
    consent_column = contact_import.mapping.get("consent")
    return render(
        request,
        "contacts/import_consent.html",
        {
            "form": form,
            "contact_import": contact_import,
            "consent_header": (
                contact_import.headers[consent_column] if consent_column is not None else ""
            ),
        },
        status=400 if form.errors else 200,
    )


@_staff
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's counts and progress (polled by htmx while it runs; reload without JS)."""
    contact_import = _import(request, pk)
    context = {
        "contact_import": contact_import,
        "running": contact_import.status
        in (ContactImport.Status.QUEUED, ContactImport.Status.RUNNING),
        "percent": round(contact_import.fraction * 100),
        "may_download": can(request.user, imports.IMPORT_ACTION, contact_import),
    }
    if request.headers.get("HX-Request"):
        return render(request, "contacts/import_progress.html", context)
    return render(request, "contacts/import_detail.html", context)


@_staff
def import_rejections(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The rejected rows as CSV (with a BOM, so Excel reads the accents), streamed."""
    contact_import = _import(request, pk, importing=True)
    name = _("rechazos-importacion-%(n)s.csv") % {"n": contact_import.pk}
    return csv_download(imports.rejection_rows(contact_import), filename=name)
