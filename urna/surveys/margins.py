"""Population margins: read from a CSV (shipped, or uploaded by staff) into a ``MarginSet``."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from urna.audit.services import audit_record
from urna.core.l10n import number_text
from urna.surveys.form import form_of
from urna.surveys.models import Margin, MarginSet, Quota, Survey
from urna.surveys.permissions import EDIT, require
from urna.surveys.problems import FileInvalid, Problem
from urna.surveys.services.answering import results_schedule

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = {
    "cnpv2018-sexo": (
        "margins_cnpv2018_sex.csv",
        "Censo 2018 (DANE): población por sexo",
        "DANE, CNPV 2018; see urna/surveys/data/PROVENANCE.md",
    ),
}
MAX_ROWS = 2000


def _row(line: int, row: dict) -> tuple[tuple[str, str, int] | None, list[Problem]]:
    dimension = (row.get("dimension") or "").strip()
    category = (row.get("category") or "").strip()[:20]
    population = (row.get("population") or "").strip().replace(".", "").replace(",", "")
    problems = []
    if dimension not in Margin.Dimension.values:
        problems.append(
            Problem(
                _("Dimensión «%(d)s» no válida: use department, age_group o sex.")
                % {"d": dimension[:20]},
                row=line,
                column="dimension",
            )
        )
    if not category:
        problems.append(Problem(_("Falta la categoría."), row=line, column="category"))
    if not population.isdigit() or int(population) == 0:
        problems.append(
            Problem(
                _("La población debe ser un número entero positivo."),
                row=line,
                column="population",
            )
        )
    return (None if problems else (dimension, category, int(population))), problems


def margins_parse(file: IO[bytes]) -> list[tuple[str, str, int]]:
    """Rows (dimension, category, population) of a margins CSV, or FileInvalid with every bad
    row; each dimension's categories must add up to the same population."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        fields = {(f or "").strip() for f in reader.fieldnames or []}
        if not {"dimension", "category", "population"} <= fields:
            raise FileInvalid(
                [Problem(_("El CSV debe tener las columnas dimension, category y population."))]
            )
        rows, problems, seen = [], [], set()
        for line, row in enumerate(reader, start=2):
            if len(rows) + len(problems) >= MAX_ROWS:
                problems.append(Problem(_("El CSV tiene más de %(n)s filas.") % {"n": MAX_ROWS}))
                break
            parsed, found = _row(line, {(k or "").strip(): v for k, v in row.items()})
            if parsed and parsed[:2] in seen:
                found.append(Problem(_("Categoría repetida."), row=line, column="category"))
            problems += found
            if parsed and not found:
                seen.add(parsed[:2])
                rows.append(parsed)
    except UnicodeDecodeError as exc:
        raise FileInvalid([Problem(_("El archivo no está en UTF-8."))]) from exc
    if problems:
        raise FileInvalid(problems)
    if not rows:
        raise FileInvalid([Problem(_("El CSV no tiene filas."))])
    _totals_match(rows)
    return rows


def _totals_match(rows: list[tuple[str, str, int]]) -> None:
    totals: dict[str, int] = {}
    for dimension, _category, population in rows:
        totals[dimension] = totals.get(dimension, 0) + population
    if len(set(totals.values())) > 1:
        detail = ", ".join(f"{d} = {number_text(n)}" for d, n in sorted(totals.items()))
        raise FileInvalid(
            [
                Problem(
                    _(
                        "Los totales de las dimensiones no coinciden (%(detail)s): cada "
                        "dimensión debe sumar la misma población."
                    )
                    % {"detail": detail}
                )
            ]
        )


def margins_check(
    survey: Survey, rows: list[tuple[str, str, int]], *, first: int = 2, field: str = "file"
) -> None:
    """The margins fit the survey: each dimension is one of its weighting questions and each
    category one of that question's choices."""
    form = form_of(survey)
    weighting = survey.weighting or {}
    problems = []
    for line, (dimension, category, _population) in enumerate(rows, start=first):
        name = weighting.get(dimension)
        if name not in form.questions:
            problems.append(
                Problem(
                    _("La encuesta no tiene una pregunta de %(d)s para ponderar.")
                    % {"d": Margin.Dimension(dimension).label.lower()},
                    row=line,
                    column="dimension",
                )
            )
        elif category not in form.questions[name].choice_names():
            problems.append(
                Problem(
                    _("«%(c)s» no es una opción de la pregunta «%(q)s».")
                    % {"c": category, "q": name},
                    row=line,
                    column="category",
                )
            )
    if problems:
        raise FileInvalid(problems, field=field)


def margin_set_create(
    *, name: str, source: str, file: IO[bytes], entity: Any = None, by: Any = None
) -> MarginSet:
    rows = margins_parse(file)
    with transaction.atomic():
        margin_set = MarginSet.objects.create(entity=entity, name=name[:150], source=source)
        Margin.objects.bulk_create(
            Margin(margin_set=margin_set, dimension=d, category=c, population=p) for d, c, p in rows
        )
        audit_record(
            action="survey.margins",
            obj=margin_set,
            actor=by,
            entity=entity,
            after={"rows": len(rows)},
        )
    return margin_set


def margin_set_shipped(key: str) -> MarginSet:
    """The shipped margin set ``key`` (loaded once)."""
    filename, name, source = SHIPPED[key]
    existing = MarginSet.objects.filter(name=name, entity=None).first()
    if existing is not None:
        return existing
    with (DATA / filename).open("rb") as handle:
        return margin_set_create(name=name, source=source, file=handle)


def survey_margins_upload(
    *, survey: Survey, file: IO[bytes], name: str, source: str, by: Any
) -> MarginSet:
    """Staff upload the population margins their survey is raked to (checked against it)."""
    require(by, EDIT, survey)
    rows = margins_parse(file)
    margins_check(survey, rows)
    with transaction.atomic():
        margin_set = MarginSet.objects.create(
            entity=survey.entity, name=name[:150] or survey.label[:150], source=source
        )
        Margin.objects.bulk_create(
            Margin(margin_set=margin_set, dimension=d, category=c, population=p) for d, c, p in rows
        )
        before = survey.margin_set_id
        survey.margin_set = margin_set
        survey.save(update_fields=["margin_set", "updated_at"])
        audit_record(
            action="survey.margins",
            obj=survey,
            actor=by,
            entity=survey.entity,
            before={"margin_set": before},
            after={"margin_set": margin_set.pk, "rows": len(rows), "source": source[:200]},
        )
    results_schedule(survey.pk, delay=timedelta(0))
    return margin_set


def quotas_parse(survey: Survey, text: str) -> dict[tuple[str, str], int]:
    """Quota targets typed one a line as ``dimension,category,target`` (``sex,mujer,300``),
    checked against the survey like margins; FileInvalid with every bad line."""
    quotas: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    lines = [line for line in text.splitlines() if line.strip()]
    for line_no, line in enumerate(lines, start=1):
        cells = [c.strip() for c in line.replace(";", ",").split(",")]
        if len(cells) != 3 or not cells[2].isdigit():
            problems.append(
                Problem(_("Escriba dimensión, categoría y meta separadas por comas."), row=line_no)
            )
            continue
        row = {"dimension": cells[0], "category": cells[1], "population": cells[2]}
        parsed, found = _row(line_no, row)
        if parsed and (parsed[0], parsed[1]) in quotas:
            found.append(Problem(_("Categoría repetida."), row=line_no, column="category"))
        problems += found
        if parsed and not found:
            quotas[(parsed[0], parsed[1])] = parsed[2]
    if problems:
        raise FileInvalid(problems, field="quotas")
    margins_check(survey, [(d, c, n) for (d, c), n in quotas.items()], first=1, field="quotas")
    return quotas


def survey_quotas_set(*, survey: Survey, text: str, by: Any) -> Survey:
    require(by, EDIT, survey)
    quotas = quotas_parse(survey, text)
    with transaction.atomic():
        before = Quota.objects.filter(survey=survey).count()
        Quota.objects.filter(survey=survey).delete()
        Quota.objects.bulk_create(
            Quota(survey=survey, dimension=d, category=c, target=n) for (d, c), n in quotas.items()
        )
        survey.save(update_fields=["updated_at"])
        audit_record(
            action="survey.quotas",
            obj=survey,
            actor=by,
            entity=survey.entity,
            before={"quotas": before},
            after={"quotas": {f"{d}={c}": n for (d, c), n in quotas.items()}},
        )
    results_schedule(survey.pk, delay=timedelta(0))
    return survey
