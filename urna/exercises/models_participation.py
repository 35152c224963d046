"""Who already answered a closed question: one answer per participant per question, on every
channel. Imported by ``urna.exercises.models``, where the rest of the app finds it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from urna.exercises.models import ClosedQuestion, Contribution


class QuestionAnswerer(models.Model):
    """A participant's answer to a closed question, counted once. ``answerer`` is the keyed hash
    of their identity (``urna.exercises.participants``): their account, the phone or address they
    wrote from, or their browser's session."""

    question = models.ForeignKey(ClosedQuestion, on_delete=models.CASCADE, related_name="+")
    answerer = models.CharField(max_length=64)
    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="answerer"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "answerer"], name="unique_answerer")
        ]
        verbose_name = _("participante que respondió")
        verbose_name_plural = _("participantes que respondieron")

    def __str__(self) -> str:
        return f"{self.question_id}·{self.answerer[:8]}"
