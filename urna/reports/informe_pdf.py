"""The informe global de observaciones as a PDF (``textpdf``: plain text, fast at any size).

Same content and order as the HTML page: summary, common answers (each once, with its
receipts), then observations answered one by one, by article. Always in Spanish.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from urna.core.l10n import date_text, number_text
from urna.exercises.models import Contribution
from urna.reports.informe import (
    UNANSWERED,
    decision_labels,
    group_receipts,
    informe_groups,
    informe_rows,
    informe_summary,
)
from urna.reports.textpdf import TextPdf

SIZE = 8.5
RECEIPTS_PER_PARAGRAPH = 400


def _date(value: Any) -> str:
    if value is None:
        return _("sin fecha")
    return date_text(value)


def _front(doc: TextPdf, summary: dict[str, Any]) -> None:
    exercise, entity = summary["exercise"], summary["entity"]
    doc.heading(_("Informe global de observaciones"))
    doc.paragraph(exercise.title, style="bold", size=11.5, after=6)
    if not summary["final"]:
        doc.paragraph(
            _("BORRADOR para el equipo de la entidad: no publicado."), style="bold", size=9.5
        )
    area = f"{entity.name} — {entity.sector}" if entity.sector else entity.name
    for label, value in (
        (_("Entidad responsable"), area),
        (_("Tipo de ejercicio"), exercise.get_kind_display()),
        (
            _("Periodo de publicación para comentarios"),
            _("del %(start)s al %(end)s")
            % {"start": _date(exercise.opens_at), "end": _date(exercise.closes_at)},
        ),
        (_("Fecha del informe"), _date(timezone.now())),
        (_("Observaciones recibidas"), number_text(summary["total"])),
        (_("Participantes"), number_text(summary["participants"])),
    ):
        doc.paragraph(f"{label}: {value}", size=9.5, after=1)
    doc.space(4)
    for row in summary["decisions"]:
        doc.paragraph(f"{row['label']}: {number_text(row['count'])}", size=9.5, after=1)
    channels = "; ".join(f"{label}: {number_text(n)}" for label, n in summary["by_channel"])
    doc.paragraph(_("Por canal: %(channels)s") % {"channels": channels or "—"}, size=9.5)
    doc.paragraph(
        _(
            "Las observaciones se identifican por su número de radicado, canal y fecha; su "
            "texto es el público, sin datos personales. Las observaciones que recibieron una "
            "misma respuesta se presentan juntas; la tabla de cada observación con su "
            "respuesta está en el archivo CSV del informe."
        ),
        size=8.5,
        gray=0.3,
        after=4,
    )
    if summary["hidden"]:
        doc.paragraph(
            _("%(n)s aportes ocultos por moderación no forman parte del informe.")
            % {"n": summary["hidden"]},
            size=8.5,
            gray=0.3,
        )


def _groups(doc: TextPdf, exercise: Any, groups: list[dict[str, Any]]) -> None:
    doc.heading(_("Respuestas comunes"), level=2)
    for group in groups:
        doc.heading(
            _("Respuesta común %(number)s: %(title)s")
            % {"number": group["number"], "title": group["title"]},
            level=3,
        )
        doc.paragraph(
            _("%(decision)s. Responde a %(count)s observaciones.")
            % {
                "decision": group["decision_label"],
                "count": number_text(group["count"]),
            },
            style="bold",
            size=SIZE,
        )
        doc.paragraph(_("Razón: %(reason)s") % {"reason": group["reason"]}, size=SIZE)
        articles = "; ".join(f"{label} ({n})" for label, n in group["articles"])
        doc.paragraph(_("Artículos: %(articles)s") % {"articles": articles}, size=SIZE)
        for text in group["examples"]:
            doc.paragraph(f"«{text}»", size=SIZE, indent=10, gray=0.25)
        doc.paragraph(_("Radicados:"), style="bold", size=SIZE, after=0)
        batch: list[str] = []
        for receipt in group_receipts(exercise, group["id"]):
            batch.append(receipt)
            if len(batch) == RECEIPTS_PER_PARAGRAPH:
                doc.paragraph(" ".join(batch), size=7.5, after=0)
                batch = []
        if batch:
            doc.paragraph(" ".join(batch), size=7.5, after=0)
        doc.rule()


def _individual(
    doc: TextPdf, exercise: Any, total: int, progress: Callable[[float, str], None]
) -> None:
    doc.heading(_("Observaciones con respuesta individual"), level=2)
    labels = decision_labels()
    channels = dict(Contribution.Channel.choices)
    article = None
    for i, row in enumerate(informe_rows(exercise)):
        if row.article != article:
            article = row.article
            doc.heading(article, level=3)
        doc.paragraph(
            f"{row.receipt} · {channels.get(row.channel, row.channel)} · {_date(row.created_at)}",
            style="bold",
            size=SIZE,
            after=0,
            keep=3,
        )
        doc.paragraph(row.text or "—", size=SIZE, after=1)
        answer = labels.get(row.decision, row.decision)
        if row.decision != UNANSWERED:
            answer = f"{answer}. {row.reason}"
        doc.paragraph(answer, size=SIZE, indent=10, gray=0.2, after=0)
        doc.rule(gray=0.85)
        if i % 2000 == 0 and total:
            progress(0.1 + 0.75 * i / total, _("%(n)s observaciones") % {"n": i})


def informe_pdf_write(
    exercise: Any, output: BinaryIO, *, progress: Callable[[float, str], None] | None = None
) -> int:
    """Write the informe of ``exercise`` to ``output``; returns its number of pages."""
    report = progress or (lambda fraction, note: None)
    with translation.override(settings.LANGUAGE_CODE):
        summary = informe_summary(exercise)
        doc = TextPdf(
            title=_("Informe global de observaciones: %(title)s") % {"title": exercise.title},
            footer=_("Informe global de observaciones — %(title)s") % {"title": exercise.title},
        )
        _front(doc, summary)
        groups = informe_groups(exercise)
        if groups:
            _groups(doc, exercise, groups)
        report(0.1, _("respuestas comunes"))
        if summary["individual"]:
            _individual(doc, exercise, summary["individual"], report)
        report(0.9, _("escribiendo el PDF"))
        return doc.write(output)
