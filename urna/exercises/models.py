"""Participation exercises and what citizens contribute to them.

An exercise (a consultation on a draft decree, a policy, a plan, an open question, a call for
proposals) belongs to one owning entity and may have partner entities. Its status moves through
the phases declared in ``phases.py`` (only ``services.exercise_transition`` changes it). Citizens
leave contributions, from any channel, through ``services.contribution_submit``; nothing a citizen
wrote is ever deleted: moderation hides it with a public reason. Each contribution gets one answer
in the results matrix (``ContributionResponse``), possibly shared by a group of similar ones.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urna.core.channels import Channel, channel_choices
from urna.core.privacy import KIND_LABELS, mask_personal_data, personal_data_scan
from urna.core.text import search_normalise

# Every channel a citizen reaches Urna by, except the ones that name no citizen's medium: a
# query handed over from an exercise, and the social networks before they were told apart.
CONTRIBUTION_CHANNELS = frozenset(Channel) - {Channel.EXERCISE, Channel.SOCIAL}


class Topic(models.Model):
    name = models.CharField(_("nombre"), max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temas")

    def __str__(self) -> str:
        return self.name


class ExerciseQuerySet(models.QuerySet):
    def public(self) -> "ExerciseQuerySet":
        return self.exclude(status=Exercise.Status.DRAFT)

    def open_now(self) -> "ExerciseQuerySet":
        now = timezone.now()
        return self.filter(status=Exercise.Status.OPEN).filter(
            Q(opens_at__isnull=True) | Q(opens_at__lte=now),
            Q(closes_at__isnull=True) | Q(closes_at__gt=now),
        )

    def for_entities(self, entity_ids: set[int] | None) -> "ExerciseQuerySet":
        """Exercises owned by or shared with these entities (None: every exercise)."""
        if entity_ids is None:
            return self
        partnered = Exercise.partners.through.objects.filter(entity_id__in=entity_ids).values(
            "exercise_id"
        )
        return self.filter(Q(owner_id__in=entity_ids) | Q(pk__in=partnered))


class Exercise(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        INFORMATION = "information", _("Información")
        OPEN = "open", _("Participación abierta")
        ANALYSIS = "analysis", _("Análisis de aportes")
        RESULTS = "results", _("Resultados publicados")

    class Kind(models.TextChoices):
        DRAFT_REGULATION = "draft_regulation", _("Proyecto de norma")
        POLICY = "policy", _("Política pública")
        PLAN = "plan", _("Plan")
        OPEN_QUESTION = "open_question", _("Pregunta abierta")
        CALL_FOR_PROPOSALS = "call_for_proposals", _("Convocatoria de propuestas")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("Nacional")
        DEPARTMENT = "department", _("Departamental")
        MUNICIPALITY = "municipality", _("Municipal")

    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # Short code citizens type on SMS/USSD ("AGRO"): upper-case ASCII letters and digits.
    code = models.CharField(_("código corto"), max_length=12, unique=True, null=True, blank=True)
    summary = models.CharField(_("resumen"), max_length=500)
    body = models.TextField(_("texto (Markdown)"), blank=True)
    # Sanitised HTML rendered from ``body`` by the service that saves it.
    body_html = models.TextField(blank=True, editable=False)
    owner = models.ForeignKey(
        "entities.Entity",
        on_delete=models.PROTECT,
        related_name="exercises_owned",
        verbose_name=_("entidad responsable"),
    )
    partners = models.ManyToManyField(
        "entities.Entity",
        blank=True,
        related_name="exercises_partnered",
        verbose_name=_("entidades aliadas"),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="exercises", verbose_name=_("temas")
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=Kind.choices)
    status = models.CharField(
        _("estado"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    scope = models.CharField(
        _("alcance territorial"), max_length=16, choices=Scope.choices, default=Scope.NATIONAL
    )
    department = models.ForeignKey(
        "territory.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("departamento"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipio"),
    )
    # Phase dates: information from published_at, participation opens_at → closes_at, analysis
    # until results_due_at (planned), results published at results_published_at.
    published_at = models.DateTimeField(_("publicado"), null=True, blank=True)
    opens_at = models.DateTimeField(_("abre"), null=True, blank=True)
    closes_at = models.DateTimeField(_("cierra"), null=True, blank=True)
    results_due_at = models.DateTimeField(_("resultados previstos"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("resultados publicados"), null=True, blank=True)
    # Required, recorded and shown when a draft regulation is open for comments for fewer days
    # than the minimum (15 calendar days by default).
    short_period_justification = models.TextField(_("justificación del plazo reducido"), blank=True)
    results_summary = models.TextField(_("síntesis de resultados"), blank=True)
    # New contributions wait for a moderator before they are shown.
    premoderation = models.BooleanField(_("moderación previa"), default=False)
    # Supports a proposal needs for the entity to study it (e.g. 300); none: no threshold.
    support_threshold = models.PositiveIntegerField(
        _("umbral de apoyos"),
        null=True,
        blank=True,
        help_text=_("Apoyos que necesita una propuesta para que la entidad la estudie."),
    )
    # Demo and training content is labelled as an example on every page.
    is_example = models.BooleanField(_("contenido de ejemplo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("ejercicio de participación")
        verbose_name_plural = _("ejercicios de participación")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exercises:detail", kwargs={"slug": self.slug})

    def urna_entity_ids(self) -> set[int]:
        ids = {self.owner_id}
        if self.pk:
            ids |= set(self.partners.values_list("pk", flat=True))
        return ids

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or self.closes_at > now)
        )

    @property
    def has_closed(self) -> bool:
        """Participation is over: the closing date passed, or the exercise moved on to the
        analysis or its results (closed early). Pages then say "Cerró", not "Cierra"."""
        if self.status in (self.Status.ANALYSIS, self.Status.RESULTS):
            return True
        return self.closes_at is not None and self.closes_at <= timezone.now()

    @property
    def comment_days(self) -> int | None:
        if self.opens_at and self.closes_at:
            return (self.closes_at - self.opens_at).days
        return None


class ExerciseDocument(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), upload_to="ejercicios/%Y/")
    # Checked from the file's content, not from the name the uploader gave.
    file_type = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("documento")

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    """An article or section of a draft regulation, commented on one by one."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveSmallIntegerField(_("número"))
    label = models.CharField(_("rótulo"), max_length=60)  # "Artículo 3", "Considerando"
    title = models.CharField(_("título"), max_length=200, blank=True)
    body = models.TextField(_("texto"))

    class Meta:
        ordering = ["exercise_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="unique_article_number")
        ]
        verbose_name = _("artículo")

    def __str__(self) -> str:
        return f"{self.label}. {self.title}" if self.title else self.label


class ClosedQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Selección única")
        MULTIPLE = "multiple", _("Selección múltiple")
        YES_NO = "yes_no", _("Sí o no")
        SCALE = "scale", _("Escala de 1 a 5")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("número"))
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("pregunta"), max_length=300)

    class Meta:
        ordering = ["exercise_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="unique_question_number")
        ]
        verbose_name = _("pregunta cerrada")
        verbose_name_plural = _("preguntas cerradas")

    def __str__(self) -> str:
        return self.text


class QuestionOption(models.Model):
    question = models.ForeignKey(ClosedQuestion, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(max_length=30)
    label = models.CharField(_("opción"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="unique_option_key")
        ]
        verbose_name = _("opción")

    def __str__(self) -> str:
        return self.label


class Contribution(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", _("Opinión")
        PROPOSAL = "proposal", _("Propuesta")
        QUESTION = "question", _("Pregunta al gobierno")
        ANSWER = "answer", _("Respuesta a pregunta cerrada")
        ARTICLE_COMMENT = "article_comment", _("Comentario a un artículo")

    # The platform's one list of channels (``Contribution.Channel.SMS``); a contribution
    # arrives by one of CONTRIBUTION_CHANNELS.
    Channel = Channel

    class Moderation(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Pendiente de moderación")
        HIDDEN = "hidden", _("Oculto")

    class AgeRange(models.TextChoices):
        UNDER_18 = "0-17", _("Menos de 18 años")
        FROM_18 = "18-28", _("18 a 28 años")
        FROM_29 = "29-40", _("29 a 40 años")
        FROM_41 = "41-60", _("41 a 60 años")
        OVER_60 = "61+", _("Más de 60 años")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Mujer")
        MALE = "male", _("Hombre")
        NON_BINARY = "non_binary", _("No binario")
        OTHER = "other", _("Otro")
        UNSAID = "unsaid", _("Prefiero no decirlo")

    class EthnicGroup(models.TextChoices):
        # The self-recognition categories of DANE's national census.
        INDIGENOUS = "indigenous", _("Indígena")
        ROM = "rom", _("Gitano(a) o Rrom")
        RAIZAL = "raizal", _("Raizal del Archipiélago de San Andrés, Providencia y Santa Catalina")
        PALENQUERO = "palenquero", _("Palenquero(a) de San Basilio")
        AFRO = "afro", _("Negro(a), mulato(a), afrodescendiente, afrocolombiano(a)")
        NONE = "none", _("Ningún grupo étnico")
        UNSAID = "unsaid", _("Prefiero no decirlo")

    # Every index is written on every submission (the intake hot path), so the contribution
    # table keeps only those that queries use: the exercise is the leading column of the
    # composite indexes in Meta, and the optional links have partial indexes (see Meta).
    exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="contributions", db_index=False
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What the citizen wrote, for staff allowed to see personal data; every public output
    # (pages, API, receipts, reports, open data) shows ``public_text``: the same text with names,
    # documents, phones, emails, addresses and handles masked (``urna.core.privacy``), stored
    # at intake. ``personal_data`` lists the kinds found ("name,phone"), for the moderation queue.
    text = models.TextField(blank=True)
    public_text = models.TextField(blank=True)
    personal_data = models.CharField(max_length=60, blank=True)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
        db_index=False,
    )
    question = models.ForeignKey(
        ClosedQuestion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
        db_index=False,
    )
    # Canonical answer to a closed question: an option key, option keys joined by commas
    # (multiple choice, sorted), "si"/"no", or "1".."5" (see services.choice_parse).
    choice = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=12, choices=channel_choices(CONTRIBUTION_CHANNELS))
    municipality = models.ForeignKey(
        "territory.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The municipality's department (its code is the first two digits of the DANE code).
    # Grouped within an exercise (its rows are found through the exercise's indexes), never
    # looked up across exercises, and departments are never deleted: no index of its own.
    department = models.ForeignKey(
        "territory.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        db_index=False,
    )
    # Staff operator who typed it in (radio, TV, phone, in person).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    age_range = models.CharField(max_length=8, choices=AgeRange.choices, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    ethnic_group = models.CharField(max_length=12, choices=EthnicGroup.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    moderation = models.CharField(
        max_length=8, choices=Moderation.choices, default=Moderation.VISIBLE
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # Unique through Meta.constraints, not unique=True: on PostgreSQL that would add a second,
    # LIKE-pattern index of these random keys, written on every submission and never read.
    receipt = models.CharField(max_length=20)
    idempotency_key = models.CharField(max_length=120, null=True, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    # A reply answers a contribution of its exercise (``services.replies``: two levels deep);
    # ``reply_count``: the visible replies below (the "most commented" order reads it).
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="replies", db_index=False
    )
    reply_count = models.PositiveIntegerField(default=0)
    # A reply's publication was told to the author of the contribution it answers (once:
    # ``services.replies.reply_published_tell``).
    reply_told_at = models.DateTimeField(null=True, blank=True)
    # ``public_text`` folded (``core.text.search_normalise``) for the accent-insensitive search.
    search_text = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["receipt"], name="contrib_receipt_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="contrib_idempotency_unique"),
        ]
        indexes = [
            models.Index(fields=["exercise", "moderation", "id"], name="contrib_public_idx"),
            # Covers the per-exercise counts by kind and moderation state (index-only scan).
            models.Index(fields=["exercise", "kind", "moderation"], name="contrib_counts_idx"),
            # Partial: most contributions have none of these, and a row with NULL there is not
            # written to the index at all (SQLite and PostgreSQL). Lookups by value
            # (``article_id=…``, erasing a contact's or account's data) still use them, and the
            # article and question ones cover the public page's counts (selectors), which
            # would otherwise read every visible row of the exercise.
            *(
                models.Index(
                    fields=fields,
                    condition=Q(**{f"{fields[0]}__isnull": False}),
                    name=f"contrib_{fields[0]}_idx",
                )
                for fields in (
                    ["article", "exercise", "moderation"],
                    ["question", "exercise", "moderation", "kind", "choice"],
                    ["contact"],
                    ["user"],
                    ["parent", "exercise", "moderation"],
                )
            ),
            # The "most supported" and "most commented" orders: only rows with a support or a
            # reply enter them (none at intake), and the rest follow by contrib_public_idx.
            *(
                models.Index(
                    fields=["exercise", "moderation", column, "id"],
                    condition=Q(**{f"{column}__gt": 0}),
                    name=f"contrib_{column}_idx",
                )
                for column in ("support_count", "reply_count")
            ),
        ]
        verbose_name = _("aporte")
        verbose_name_plural = _("aportes")

    def __str__(self) -> str:
        return self.receipt

    def save(self, *args, **kwargs) -> None:
        # ``contribution_submit`` fills both in its INSERT; a row created another way (admin,
        # fixtures) gets them here, so it is never public unmasked.
        if self.text and not self.public_text:
            self.public_text, self.personal_data = personal_data_scan(self.text)
            self.search_text = search_normalise(self.public_text)
            if kwargs.get("update_fields") is not None:
                fields = {"public_text", "personal_data", "search_text"}
                kwargs["update_fields"] = {*kwargs["update_fields"], *fields}
        elif self._state.adding and self.public_text and not self.search_text:
            self.search_text = search_normalise(self.public_text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("site:receipt", kwargs={"receipt": self.receipt})

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()

    @property
    def masked_text(self) -> str:
        """The text the public may read: ``public_text``, or the text masked now for a row
        stored without it (bulk loads); never the original."""
        if self.public_text or not self.text:
            return self.public_text
        return mask_personal_data(self.text)

    @property
    def personal_data_labels(self) -> str:
        """The kinds of personal data found, in Spanish: "nombre, correo"."""
        kinds = self.personal_data.split(",") if self.personal_data else []
        return ", ".join(str(KIND_LABELS.get(k, k)) for k in kinds)


class Support(models.Model):
    """One participant's support of a proposal. ``supporter`` is a hash of their identity."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="supports"
    )
    supporter = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "supporter"], name="unique_support")
        ]
        verbose_name = _("apoyo")

    def __str__(self) -> str:
        return f"{self.contribution_id}·{self.supporter[:8]}"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Aceptado")
    PARTIAL = "partial", _("Aceptado parcialmente")
    NOT_ACCEPTED = "not_accepted", _("No aceptado")


class ResponseGroup(models.Model):
    """One answer shared by many similar contributions (e.g. a campaign or a repeated idea)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="response_groups")
    title = models.CharField(_("tema del grupo"), max_length=200)
    decision = models.CharField(_("decisión"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("razón"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("grupo de respuesta")

    def __str__(self) -> str:
        return self.title


class ContributionResponse(models.Model):
    """The entity's answer to one contribution: a row of the results matrix."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="response"
    )
    decision = models.CharField(_("decisión"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("razón"))
    group = models.ForeignKey(
        ResponseGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("respuesta a un aporte")
        verbose_name_plural = _("matriz de respuestas")

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.decision}"


# --- What happened after the consultation ---------------------------------------------------


# The news of an exercise live in their own module; they are this app's models all the same.
from urna.exercises.models_explainer import ExerciseExplainer as ExerciseExplainer  # noqa: E402
from urna.exercises.models_news import (  # noqa: E402
    ExerciseBroadcast as ExerciseBroadcast,
)
from urna.exercises.models_news import ExerciseFollower as ExerciseFollower  # noqa: E402
from urna.exercises.models_news import ExerciseUpdate as ExerciseUpdate  # noqa: E402
from urna.exercises.models_news import (  # noqa: E402
    ExerciseUpdateDocument as ExerciseUpdateDocument,
)
from urna.exercises.models_participation import (  # noqa: E402
    QuestionAnswerer as QuestionAnswerer,
)
