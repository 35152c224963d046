"""The plain-language page of an exercise, "¿Qué cambia para usted?": what a programme or a draft
changes, for whom, from when and what a citizen can do, in a few short sections written by the
exercise's staff. Imported by ``urna.exercises.models``, where the rest of the app finds it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from urna.exercises.models import Exercise

# The sections of the page, in the order they are shown: (field, heading).
EXPLAINER_SECTIONS = (
    ("what_changes", _("Qué cambia")),
    ("for_whom", _("Para quién")),
    ("from_when", _("Desde cuándo")),
    ("what_you_can_do", _("Qué puede hacer usted")),
)


class ExerciseExplainer(models.Model):
    exercise = models.OneToOneField(Exercise, on_delete=models.CASCADE, related_name="explainer")
    summary = models.CharField(_("en una frase"), max_length=300)
    # Markdown written by staff; each ``*_html`` is its sanitised rendering (nh3).
    what_changes = models.TextField(_("qué cambia"))
    what_changes_html = models.TextField(blank=True, editable=False)
    for_whom = models.TextField(_("para quién"), blank=True)
    for_whom_html = models.TextField(blank=True, editable=False)
    from_when = models.TextField(_("desde cuándo"), blank=True)
    from_when_html = models.TextField(blank=True, editable=False)
    what_you_can_do = models.TextField(_("qué puede hacer usted"), blank=True)
    what_you_can_do_html = models.TextField(blank=True, editable=False)
    # None: a draft, seen only by staff.
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("explicación en lenguaje claro")
        verbose_name_plural = _("explicaciones en lenguaje claro")

    def __str__(self) -> str:
        return f"¿Qué cambia? · {self.exercise}"

    def get_absolute_url(self) -> str:
        return reverse("exercises:explainer", kwargs={"slug": self.exercise.slug})

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()

    def sections(self) -> list[tuple[str, str]]:
        """(heading, safe HTML) of the sections written, in order."""
        return [
            (heading, getattr(self, f"{name}_html"))
            for name, heading in EXPLAINER_SECTIONS
            if getattr(self, f"{name}_html")
        ]
