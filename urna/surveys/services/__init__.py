"""Writes of the surveys app: the builder, answering, weighting and results (one module each)."""

from urna.surveys.services.answering import (
    interview_start,
    response_answer,
    response_start,
    response_submit,
    response_submit_answers,
    survey_answer,
    survey_next_prompt,
    survey_open_by_code,
    survey_session_active,
    survey_session_start,
    survey_stop,
)
from urna.surveys.services.builder import (
    survey_create_from_spec,
    survey_import,
    survey_labels_update,
    survey_publish,
    survey_transition,
    survey_weighting_set,
)

__all__ = [
    "interview_start",
    "response_answer",
    "response_start",
    "response_submit",
    "response_submit_answers",
    "survey_answer",
    "survey_create_from_spec",
    "survey_import",
    "survey_labels_update",
    "survey_next_prompt",
    "survey_open_by_code",
    "survey_publish",
    "survey_session_active",
    "survey_session_start",
    "survey_stop",
    "survey_transition",
    "survey_weighting_set",
]
