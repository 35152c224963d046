"""What citizens read and comment on: the body text, articles, closed questions, documents.

Articles and questions change only while the exercise is editable (before participation opens).
"""

import zipfile
from collections.abc import Iterable
from typing import Any

import markdown
import nh3
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import Conflict, InvalidInput
from urna.core.text import text_normalise
from urna.exercises.models import (
    Article,
    ClosedQuestion,
    Exercise,
    ExerciseDocument,
    QuestionOption,
)
from urna.exercises.phases import phase
from urna.exercises.services.base import exercise_touch

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def markdown_render(body: str) -> str:
    """Markdown written by staff, as safe HTML (links never pass on the referrer or rank)."""
    html = markdown.markdown(body or "", extensions=["sane_lists", "tables"])
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


def _require_editable(exercise: Exercise, by: Any) -> None:
    require(by, "exercise.edit", exercise)
    if not phase(exercise.status).editable:
        raise Conflict(
            _("El texto ya no se puede cambiar: la participación está abierta o terminó.")
        )


def article_add(
    *,
    exercise: Exercise,
    by: Any,
    body: str,
    label: str = "",
    title: str = "",
    number: int | None = None,
    request: Any = None,
) -> Article:
    """Add an article (or section) of a draft regulation, commented on one by one."""
    _require_editable(exercise, by)
    body = text_normalise(body)
    if len(body) < 3:
        raise InvalidInput(_("Escriba el texto del artículo."), field="body")
    if number is None:
        last = exercise.articles.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    if exercise.articles.filter(number=number).exists():
        raise InvalidInput(_("Ya hay un artículo con ese número."), field="number")
    with transaction.atomic():
        article = Article.objects.create(
            exercise=exercise,
            number=number,
            label=text_normalise(label)[:60] or _("Artículo %(n)s") % {"n": number},
            title=text_normalise(title)[:200],
            body=body,
        )
        audit_record(
            action="exercise.article_add",
            obj=exercise,
            actor=by,
            entity=exercise.owner,
            after={"article": number},
            ip=client_ip(request),
        )
    exercise_touch(exercise)
    return article


def _option_pairs(kind: str, options: Iterable[str]) -> list[tuple[str, str]]:
    """(key, label) of each option of a new closed question."""
    labels = [text_normalise(o)[:200] for o in options if text_normalise(o)]
    if kind in (ClosedQuestion.Kind.SINGLE, ClosedQuestion.Kind.MULTIPLE):
        if len(labels) < 2:
            raise InvalidInput(_("Escriba al menos dos opciones."), field="options")
        pairs: list[tuple[str, str]] = []
        for label in labels:
            key = slugify(label)[:30] or "opcion"
            while key in {k for k, _ in pairs}:
                key = f"{key[:27]}-{len(pairs) + 1}"
            pairs.append((key, label))
        return pairs
    if kind == ClosedQuestion.Kind.YES_NO:
        return [("si", _("Sí")), ("no", _("No"))]
    return [(str(n), str(n)) for n in range(1, 6)]


def question_add(
    *,
    exercise: Exercise,
    by: Any,
    kind: str,
    text: str,
    options: Iterable[str] = (),
    request: Any = None,
) -> ClosedQuestion:
    """Add a closed question. Options are given for single and multiple choice only."""
    _require_editable(exercise, by)
    if kind not in ClosedQuestion.Kind.values:
        raise InvalidInput(_("Tipo de pregunta no válido."), field="kind")
    text = text_normalise(text)
    if len(text) < 5:
        raise InvalidInput(_("Escriba la pregunta."), field="text")
    pairs = _option_pairs(kind, options)
    with transaction.atomic():
        last = exercise.questions.order_by("-number").values_list("number", flat=True).first()
        question = ClosedQuestion.objects.create(
            exercise=exercise, number=(last or 0) + 1, kind=kind, text=text[:300]
        )
        QuestionOption.objects.bulk_create(
            QuestionOption(question=question, key=key, label=label, position=i)
            for i, (key, label) in enumerate(pairs)
        )
        audit_record(
            action="exercise.question_add",
            obj=exercise,
            actor=by,
            entity=exercise.owner,
            after={"question": question.number, "kind": kind},
            ip=client_ip(request),
        )
    exercise_touch(exercise)
    return question


def document_type(head: bytes, upload: Any) -> str | None:
    """'pdf', 'docx' or 'odt' from the file's content (not its name), or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
        except zipfile.BadZipFile:
            return None
    return None


def document_check(*, title: str, upload: Any) -> tuple[str, str, int]:
    """(title, type, size) of an uploaded PDF, DOCX or ODT checked by content and size;
    InvalidInput otherwise. The upload is left at its start."""
    title = text_normalise(title)[:200]
    if len(title) < 3:
        raise InvalidInput(_("Escriba el título del documento."), field="title")
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise InvalidInput(_("El archivo está vacío."), field="file")
    if size > DOCUMENT_MAX_BYTES:
        raise InvalidInput(_("El archivo supera el tamaño máximo de 10 MB."), field="file")
    upload.seek(0)
    head = upload.read(8)
    kind = document_type(head, upload)
    extension = (getattr(upload, "name", "") or "").rsplit(".", 1)[-1].lower()
    if kind is None or extension != kind:
        raise InvalidInput(
            _("Sólo se aceptan documentos PDF, DOCX u ODT (el contenido no corresponde)."),
            field="file",
        )
    upload.seek(0)
    return title, kind, size


def document_attach(
    *, exercise: Exercise, by: Any, title: str, upload: Any, request: Any = None
) -> ExerciseDocument:
    """Attach a PDF, DOCX or ODT document (checked by content and size)."""
    require(by, "exercise.edit", exercise)
    title, kind, size = document_check(title=title, upload=upload)
    with transaction.atomic():
        document = ExerciseDocument(
            exercise=exercise,
            title=title,
            file_type=kind,
            size=size,
            position=exercise.documents.count(),
        )
        document.file.save(f"{exercise.slug}-{slugify(title)[:40]}.{kind}", upload, save=False)
        document.save()
        audit_record(
            action="exercise.document_attach",
            obj=exercise,
            actor=by,
            entity=exercise.owner,
            after={"document": title, "type": kind, "size": size},
            ip=client_ip(request),
        )
    return document
