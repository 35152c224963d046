"""A survey's form as plain, immutable data: what the answering engine, the XLSForm export and
the results read, loaded once per survey version (three queries) instead of per question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from urna.surveys.models import Choice, Question, Section, Survey


def label_in(labels: dict[str, str], language: str, fallback: list[str] | tuple = ()) -> str:
    for lang in [language, *fallback, "es", "en"]:
        if labels.get(lang):
            return labels[lang]
    return next(iter(labels.values()), "") if labels else ""


@dataclass(frozen=True)
class FormChoice:
    name: str
    label: dict[str, str]


@dataclass(frozen=True)
class FormQuestion:
    name: str
    kind: str
    section: str
    label: dict[str, str]
    hint: dict[str, str] = field(default_factory=dict)
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    integer: bool = True
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    list_name: str = ""
    choices: tuple[FormChoice, ...] = ()
    rows: tuple[FormChoice, ...] = ()

    def choice_names(self) -> list[str]:
        return [c.name for c in self.choices]


@dataclass(frozen=True)
class FormSection:
    name: str
    label: dict[str, str]
    relevant: str = ""
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    survey_id: int
    code: str
    title: dict[str, str]
    languages: tuple[str, ...]
    version: str
    sections: tuple[FormSection, ...]
    questions: dict[str, FormQuestion]
    order: tuple[str, ...]  # question names in survey order

    def section(self, name: str) -> FormSection:
        return next(s for s in self.sections if s.name == name)

    def label(self, labels: dict[str, str], language: str = "") -> str:
        return label_in(labels, language or self.languages[0], self.languages)


def _cache_key(survey: Survey) -> str:
    return f"surveys:form:{survey.pk}:{survey.updated_at.timestamp()}"


def form_of(survey: Survey) -> Form:
    """The form of a survey (cached per version: any edit touches ``updated_at``)."""
    key = _cache_key(survey)
    form = cache.get(key)
    if form is None:
        form = _load(survey)
        cache.set(key, form, 3600)
    return form


def _load(survey: Survey) -> Form:
    choices: dict[int, list[FormChoice]] = {}
    for choice in Choice.objects.filter(question__survey=survey).order_by("question", "position"):
        choices.setdefault(choice.question_id, []).append(FormChoice(choice.name, choice.label))
    sections = list(Section.objects.filter(survey=survey).order_by("position"))
    names = {s.pk: s.name for s in sections}
    questions: dict[str, FormQuestion] = {}
    per_section: dict[str, list[str]] = {s.name: [] for s in sections}
    for q in Question.objects.filter(survey=survey).order_by("position"):
        questions[q.name] = _question(q, names[q.section_id], choices.get(q.pk, []))
        per_section[names[q.section_id]].append(q.name)
    return Form(
        survey_id=survey.pk,
        code=survey.code,
        title=survey.title,
        languages=tuple(survey.languages or ["es"]),
        version=survey.version,
        sections=tuple(
            FormSection(s.name, s.label, s.relevant, tuple(per_section[s.name])) for s in sections
        ),
        questions=questions,
        order=tuple(questions),
    )


def _question(q: Question, section: str, choices: list[FormChoice]) -> FormQuestion:
    rows: Any = tuple(FormChoice(r["name"], r.get("label", {})) for r in q.rows or [])
    return FormQuestion(
        name=q.name,
        kind=q.kind,
        section=section,
        label=q.label,
        hint=q.hint or {},
        required=q.required,
        relevant=q.relevant,
        constraint=q.constraint,
        constraint_message=q.constraint_message or {},
        integer=q.integer,
        minimum=q.minimum,
        maximum=q.maximum,
        step=q.step,
        list_name=q.list_name,
        choices=tuple(choices),
        rows=rows,
    )
