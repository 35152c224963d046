"""Participants hear back: an exercise's updates, its followers, and the news told to both.

- **Updates** (``ExerciseUpdate``): what happened after the consultation (a new phase, a decision
  taken, the final decree published), posted by staff of the exercise's entity, with documents,
  public on the exercise's timeline once published.
- **Followers** (``ExerciseFollower``): a citizen who did not contribute may follow an exercise
  with a phone or an email proved theirs by a 6-digit code (the contacts app's code), and stop.
- **Broadcasts** (``ExerciseBroadcast``): when the results are published, and when an update is,
  every contributor who left a contact and every follower is told once, on the channel they
  used, if they consented to hear back there (purpose "answers"). The audience is one SQL query
  per channel handed to ``urna.messaging.dispatch``: 108,739 contributors are never a Python
  loop. The job that tells (``exercises.broadcast``) may run twice: the broadcast row, unique per
  exercise's results and per update, is written in the transaction that queues the messages.

The channel a participant hears back on follows one rule, ``reply_channel``, also used for the
answer to a single contribution (``urna.results.services.notices``); ``audience_routes`` is the
same rule in SQL.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from urna.accounts.permissions import can
from urna.audit.services import audit_record, client_ip
from urna.contacts.consent import ADDRESS_FIELD, consented
from urna.contacts.consent import bit as consent_bit
from urna.contacts.models import ConsentChannel, ConsentEvent, Contact, ContactInterest, Purpose
from urna.contacts.selectors import contact_for_address
from urna.contacts.services import (
    CONSENT_VERSION,
    address_code_valid,
    consent_grant,
    contact_get_or_create,
    rights_code_send,
)
from urna.core.channels import Channel
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.core.links import absolute_url
from urna.core.text import ascii_plain, text_normalise
from urna.exercises.models import (
    Contribution,
    Exercise,
    ExerciseBroadcast,
    ExerciseFollower,
    ExerciseUpdate,
    ExerciseUpdateDocument,
)
from urna.exercises.phases import phase
from urna.exercises.services.content import document_check, markdown_render
from urna.jobs.registry import enqueue
from urna.messaging.dispatch import dispatch_create, dispatch_enqueue

# The job that tells an exercise's participants and followers (``tasks.broadcast``), queued by
# name: the task module imports this one.
BROADCAST_TASK = "exercises.broadcast"
# A text message fits in one GSM 7-bit part when it can.
SMS_TARGET = 160
EMAIL_EXCERPT = 600
UPDATE_ACTIONS = ("exercise.edit", "exercise.results")

# --- The channel a participant hears back on -------------------------------------------------


def reply_channel(channel: str, *, phone: str | None, email: str | None) -> str:
    """The channel to tell a participant by: the one they wrote by when Urna can answer there
    (SMS and USSD by SMS, WhatsApp by WhatsApp), else their email, else a text message; "" when
    they left no address. ``audience_routes`` is the same rule in SQL."""
    if channel in (Channel.SMS, Channel.USSD) and phone:
        return ConsentChannel.SMS
    if channel == Channel.WHATSAPP and phone:
        return ConsentChannel.WHATSAPP
    if email:
        return ConsentChannel.EMAIL
    if phone:
        return ConsentChannel.SMS
    return ""


def _has(field: str) -> Q:
    return Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""})


def audience_routes(exercise: Exercise) -> QuerySet[Contact]:
    """Everyone to tell about ``exercise``: live contacts of its contributions and its
    followers, minus those who asked to hear no more of it, once each, with ``route`` aliased to
    the channel each hears back on: a follower's chosen channel, else ``reply_channel`` of their
    latest contribution. One query; filter it by ``route``."""
    follows = ExerciseFollower.objects.filter(exercise=exercise)
    contributed = Contribution.objects.filter(exercise=exercise, contact__isnull=False).values(
        "contact_id"
    )
    following = follows.filter(stopped_at=None).values("contact_id")
    stopped = follows.filter(stopped_at__isnull=False).values("contact_id")
    latest = (
        Contribution.objects.filter(exercise=exercise, contact=OuterRef("pk"))
        .order_by("-id")
        .values("channel")[:1]
    )
    chosen = follows.filter(stopped_at=None, contact=OuterRef("pk")).values("channel")[:1]
    phone, email = _has("phone"), _has("email")
    return (
        Contact.objects.live()
        .filter(Q(pk__in=contributed) | Q(pk__in=following))
        .exclude(pk__in=stopped)
        .alias(chosen=Subquery(chosen), latest=Subquery(latest))
        .alias(
            route=Case(
                When(chosen__isnull=False, then=F("chosen")),
                When(Q(latest__in=[Channel.SMS, Channel.USSD]) & phone, then=Value("sms")),
                When(Q(latest=Channel.WHATSAPP) & phone, then=Value("whatsapp")),
                When(email, then=Value("email")),
                When(phone, then=Value("sms")),
                default=Value(""),
            )
        )
    )


def audience_counts(exercise: Exercise) -> dict[str, int]:
    """How many of the exercise's audience each channel would reach today (consent given)."""
    audience = audience_routes(exercise)
    return {
        channel: consented(audience.filter(route=channel), channel, Purpose.ANSWERS).count()
        for channel in ConsentChannel.values
    }


# --- Updates ---------------------------------------------------------------------------------


def _require_update_rights(by: Any, exercise: Exercise) -> None:
    if not any(can(by, action, exercise) for action in UPDATE_ACTIONS):
        raise PermissionDenied(_("No tiene permiso para esta acción."), code="forbidden")


def _clean(kind: str, title: str, body: str) -> tuple[str, str, str]:
    if kind not in ExerciseUpdate.Kind.values:
        raise InvalidInput(_("Elija el tipo de novedad."), field="kind")
    title = text_normalise(title)
    if len(title) < 5:
        raise InvalidInput(
            _("Escriba el título de la novedad (mínimo 5 caracteres)."), field="title"
        )
    return kind, title[:200], text_normalise(body)


def update_create(
    *,
    exercise: Exercise,
    by: Any,
    kind: str,
    title: str,
    body: str = "",
    publish: bool = False,
    request: Any = None,
) -> ExerciseUpdate:
    """Write an update of ``exercise`` as a draft (``publish``: published at once, see
    ``update_publish``). Staff of the exercise's entities with "exercise.edit" or
    "exercise.results"; audit-logged."""
    _require_update_rights(by, exercise)
    kind, title, body = _clean(kind, title, body)
    with transaction.atomic():
        update = ExerciseUpdate.objects.create(
            exercise=exercise,
            kind=kind,
            title=title,
            body=body,
            body_html=markdown_render(body),
            entity=exercise.owner,
            author=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(
            action="exercise.update_create",
            obj=update,
            actor=by,
            entity=exercise.owner,
            after={"exercise": exercise.pk, "kind": kind, "title": title},
            ip=client_ip(request),
        )
        if publish:
            update = update_publish(update=update, by=by, request=request)
    return update


def update_edit(
    *, update: ExerciseUpdate, by: Any, kind: str, title: str, body: str = "", request: Any = None
) -> ExerciseUpdate:
    """Change an update, draft or published (a correction: it is not told again)."""
    _require_update_rights(by, update.exercise)
    kind, title, body = _clean(kind, title, body)
    before = {"kind": update.kind, "title": update.title, "body": update.body}
    after = {"kind": kind, "title": title, "body": body}
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return update
    with transaction.atomic():
        update.kind, update.title, update.body = kind, title, body
        update.body_html = markdown_render(body)
        update.save(update_fields=["kind", "title", "body", "body_html", "updated_at"])
        audit_record(
            action="exercise.update_edit",
            obj=update,
            actor=by,
            entity=update.entity,
            before={k: before[k] for k in changed},
            after=changed,
            ip=client_ip(request),
        )
    return update


def update_publish(*, update: ExerciseUpdate, by: Any, request: Any = None) -> ExerciseUpdate:
    """Publish a draft update on the exercise's timeline and queue the job that tells its
    participants and followers (once; publishing twice is refused)."""
    exercise = update.exercise
    _require_update_rights(by, exercise)
    if not phase(exercise.status).public:
        raise Conflict(_("Publique el ejercicio antes de publicar sus novedades."))
    with transaction.atomic():
        locked = ExerciseUpdate.objects.select_for_update().get(pk=update.pk)
        if locked.published_at is not None:
            raise Conflict(_("La novedad ya está publicada."))
        update.published_at = timezone.now()
        ExerciseUpdate.objects.filter(pk=update.pk).update(
            published_at=update.published_at, updated_at=update.published_at
        )
        audit_record(
            action="exercise.update_publish",
            obj=update,
            actor=by,
            entity=update.entity,
            after={"published_at": update.published_at.isoformat()},
            ip=client_ip(request),
        )
        broadcast_queue(exercise=exercise, update=update)
    return update


def update_document_attach(
    *, update: ExerciseUpdate, by: Any, title: str, upload: Any, request: Any = None
) -> ExerciseUpdateDocument:
    """Attach a PDF, DOCX or ODT (checked by content and size) to an update."""
    _require_update_rights(by, update.exercise)
    title, kind, size = document_check(title=title, upload=upload)
    with transaction.atomic():
        document = ExerciseUpdateDocument(
            update=update,
            title=title,
            file_type=kind,
            size=size,
            position=update.documents.count(),
        )
        name = f"{update.exercise.slug}-{slugify(title)[:40]}.{kind}"
        document.file.save(name, upload, save=False)
        document.save()
        audit_record(
            action="exercise.update_document",
            obj=update,
            actor=by,
            entity=update.entity,
            after={"document": title, "type": kind, "size": size},
            ip=client_ip(request),
        )
    return document


# --- Following an exercise -------------------------------------------------------------------


def follow_channel(address: str, *, whatsapp: bool = False) -> str:
    """The channel a follower hears on: email for an email; WhatsApp or SMS for a phone."""
    if "@" in address:
        return ConsentChannel.EMAIL
    return ConsentChannel.WHATSAPP if whatsapp else ConsentChannel.SMS


def follow_code_send(*, address: str, ip: str | None = None) -> str:
    """Send the 6-digit code that proves ``address`` (normalised) is the citizen's, to follow or
    stop following an exercise; returns the nonce for their session (contacts' rights code)."""
    return rights_code_send(address=address, ip=ip, purpose="follow", always=True)


def follow_code_valid(*, address: str, nonce: str, code: str) -> bool:
    """Whether ``code`` is the one sent; RateLimited past the tries a code allows."""
    return address_code_valid(address=address, nonce=nonce, code=code)


def exercise_follow(
    *, exercise: Exercise, address: str, channel: str, request: Any = None
) -> ExerciseFollower:
    """Follow ``exercise`` from a normalised ``address`` the citizen proved theirs: the contact
    is found or created with their authorisation, consent to hear back ("answers") on
    ``channel`` is recorded with its evidence, and the follow (and the interest) stored. Doing
    it again changes the channel, or follows again after a stop."""
    if channel not in ConsentChannel.values or (channel == ConsentChannel.EMAIL) != (
        "@" in address
    ):
        raise InvalidInput(_("Elija cómo quiere recibir las novedades."), field="channel")
    is_email = "@" in address
    with transaction.atomic():
        contact = contact_get_or_create(
            phone="" if is_email else address,
            email=address if is_email else "",
            consent=True,
            channel="web",
            answers=False,  # the follow's own consent below is the one act recorded
        )
        scope = consent_bit(Purpose.ANSWERS, channel)
        if not contact.consents & scope:
            contact = consent_grant(
                contact=contact,
                scope=scope,
                via=ConsentEvent.Via.WEB,
                channel="web",
                evidence=f"seguir ejercicio {exercise.slug} (código verificado)",
                version=CONSENT_VERSION,
            )
        follower, created = ExerciseFollower.objects.get_or_create(
            exercise=exercise, contact=contact, defaults={"channel": channel}
        )
        if not created:
            follower.channel, follower.stopped_at = channel, None
            follower.save(update_fields=["channel", "stopped_at"])
        ContactInterest.objects.get_or_create(
            contact=contact, kind=ContactInterest.Kind.EXERCISE, value=exercise.slug
        )
        audit_record(
            action="exercise.follow",
            obj=exercise,
            actor_label="citizen:web",
            entity=exercise.owner,
            after={"contact": contact.pk, "channel": channel},
            ip=client_ip(request),
        )
    return follower


def exercise_unfollow(*, exercise: Exercise, address: str, request: Any = None) -> bool:
    """Stop telling the citizen of ``address`` (proved theirs) about ``exercise``, whether they
    followed it or took part in it. False when Urna holds no contact for the address."""
    contact = contact_for_address(address)
    if contact is None:
        return False
    with transaction.atomic():
        follower, _created = ExerciseFollower.objects.get_or_create(
            exercise=exercise,
            contact=contact,
            defaults={"channel": "", "stopped_at": timezone.now()},
        )
        if follower.stopped_at is None:
            follower.stopped_at = timezone.now()
            follower.save(update_fields=["stopped_at"])
        ContactInterest.objects.filter(
            contact=contact, kind=ContactInterest.Kind.EXERCISE, value=exercise.slug
        ).delete()
        audit_record(
            action="exercise.unfollow",
            obj=exercise,
            actor_label="citizen:web",
            entity=exercise.owner,
            after={"contact": contact.pk},
            ip=client_ip(request),
        )
    return True


# --- Telling everyone: results published, an update posted -----------------------------------


def timeline_url(exercise: Exercise) -> str:
    path = reverse("exercises:timeline", kwargs={"slug": exercise.slug})
    return absolute_url(path)


def _template(text: str) -> str:
    """Text written by people, safe inside a dispatch template (braces are not variables)."""
    return text.replace("{", "{{").replace("}", "}}")


@dataclass(frozen=True)
class News:
    """What a broadcast says: a headline and, for email, a longer text."""

    headline: str  # "Resultados publicados" or the update's title
    intro: str  # who did what on which exercise, one sentence
    body: str = ""  # the update's text (plain), for email
    body_html: str = ""


def _news(exercise: Exercise, update: ExerciseUpdate | None) -> News:
    values = {"entity": exercise.owner.name, "exercise": exercise.title}
    if update is None:
        return News(
            headline=_("Resultados publicados"),
            intro=_(
                "%(entity)s publicó los resultados del ejercicio «%(exercise)s» y la respuesta "
                "a cada aporte."
            )
            % values,
        )
    return News(
        headline=update.title,
        intro=_("%(entity)s publicó una novedad del ejercicio «%(exercise)s».") % values,
        body=Truncator(strip_tags(update.body_html).strip()).chars(EMAIL_EXCERPT),
        body_html=update.body_html,
    )


def short_text(exercise: Exercise, news: News, *, gsm: bool) -> str:
    """The SMS or WhatsApp message: the exercise, the headline and the timeline's link, in
    ``SMS_TARGET`` characters when they fit (GSM 7-bit for SMS: no accents)."""
    url = timeline_url(exercise)
    name = exercise.code or Truncator(exercise.title).chars(40)
    plain = ascii_plain if gsm else (lambda text: text)
    head = plain(_("Urna: %(name)s") % {"name": name})
    tail = " " + plain(_("Vea qué pasó: %(url)s")) % {"url": url}
    room = SMS_TARGET - len(head) - len(tail) - 2
    headline = plain(news.headline)
    if room >= 12:
        return f"{head}: {Truncator(headline).chars(room)}.{tail}"
    return f"{head}.{tail}"


def _email(exercise: Exercise, news: News) -> dict[str, str]:
    """Subject, text and HTML templates of the email ({enlace}: the timeline, tracked;
    {enlace_baja}: the unsubscribe link)."""
    subject = _("%(headline)s — %(exercise)s") % {
        "headline": news.headline,
        "exercise": Truncator(exercise.title).chars(80),
    }
    why = _(
        "Recibe este mensaje porque participó en este ejercicio o lo sigue, y autorizó que Urna "
        "le cuente qué pasa con su participación."
    )
    more = _("Vea qué pasó después, con los documentos:")
    stop = _("Para no recibir más estos mensajes:")
    parts = [news.intro, news.headline]
    if news.body:
        parts.append(news.body)
    body = "\n\n".join(_template(p) for p in parts)
    body += f"\n\n{more} {{enlace}}\n\n{_template(why)}\n{stop} {{enlace_baja}}"
    html_body = _template(news.body_html) if news.body_html else ""
    html = (
        f"<p>{_template(escape(news.intro))}</p>"
        f"<h1>{_template(escape(news.headline))}</h1>{html_body}"
        f'<p><a href="{{enlace}}">{escape(more.rstrip(":"))}</a></p>'
        f"<p><small>{_template(escape(why))} "
        f'<a href="{{enlace_baja}}">{escape(stop.rstrip(":"))}</a></small></p>'
    )
    return {"subject": _template(subject), "body": body, "html": html}


def _dispatch_values(exercise: Exercise, news: News, channel: str) -> dict[str, Any]:
    if channel == ConsentChannel.EMAIL:
        return {**_email(exercise, news), "link_url": timeline_url(exercise)}
    values: dict[str, Any] = {
        "body": _template(short_text(exercise, news, gsm=channel == ConsentChannel.SMS))
    }
    template = getattr(settings, "EXERCISE_NEWS_WHATSAPP_TEMPLATE", "")
    if channel == ConsentChannel.WHATSAPP and template:
        # Outside the 24-hour window WhatsApp only carries approved templates.
        values.update(
            whatsapp_template=template,
            whatsapp_language=getattr(settings, "EXERCISE_NEWS_WHATSAPP_LANGUAGE", "es"),
            params=[
                _template(exercise.code or Truncator(exercise.title).chars(40)),
                _template(Truncator(news.headline).chars(60)),
                timeline_url(exercise),
            ],
        )
    return values


def broadcast_queue(*, exercise: Exercise, update: ExerciseUpdate | None = None) -> None:
    """Queue the job that tells the exercise's audience (in the caller's transaction: it runs
    once that commits). Called when the results are published and when an update is."""
    key = f"exercises.broadcast:{exercise.pk}:{update.pk if update else 'results'}"
    enqueue(
        BROADCAST_TASK,
        exercise_id=exercise.pk,
        update_id=update.pk if update else None,
        unique_key=key,
        entity_id=exercise.owner_id,
    )


def exercise_broadcast(
    *, exercise: Exercise, update: ExerciseUpdate | None = None
) -> ExerciseBroadcast | None:
    """Tell everyone who took part in or follows ``exercise`` that its results (``update``
    None) or ``update`` were published: one dispatch per channel, purpose "answers", to the
    contacts that consented to hear back there. None when it was already told (or there is
    nothing published to tell). Audit-logged with the counts."""
    if update is None and exercise.results_published_at is None:
        return None
    if update is not None and update.published_at is None:
        return None
    kind = ExerciseBroadcast.Kind.UPDATE if update else ExerciseBroadcast.Kind.RESULTS
    news = _news(exercise, update)
    with transaction.atomic():
        try:
            with transaction.atomic():
                broadcast = ExerciseBroadcast.objects.create(
                    exercise=exercise, kind=kind, update=update
                )
        except IntegrityError:
            return None  # told already: by an earlier run of the job, or a concurrent one
        audience = audience_routes(exercise)
        dispatches: dict[str, int] = {}
        recipients: dict[str, int] = {}
        for channel in ConsentChannel.values:
            reached = consented(audience.filter(route=channel), channel, Purpose.ANSWERS)
            if not reached.exists():
                continue
            dispatch = dispatch_create(
                channel=channel,
                purpose=Purpose.ANSWERS,
                related=broadcast,
                entity=exercise.owner,
                **_dispatch_values(exercise, news, channel),
            )
            recipients[channel] = dispatch_enqueue(
                dispatch=dispatch, recipients=reached.values_list("pk", ADDRESS_FIELD[channel])
            )
            dispatches[channel] = dispatch.pk
        ExerciseBroadcast.objects.filter(pk=broadcast.pk).update(
            dispatches=dispatches, recipients=recipients
        )
        broadcast.dispatches, broadcast.recipients = dispatches, recipients
        audit_record(
            action="exercise.broadcast",
            obj=exercise,
            actor_label="system:broadcast",
            entity=exercise.owner,
            after={"kind": kind, "update": update.pk if update else None, **recipients},
        )
    return broadcast


def exercise_broadcast_run(*, exercise_id: int, update_id: int | None = None) -> dict[str, Any]:
    """The ``exercises.broadcast`` job: safe to run twice."""
    exercise = Exercise.objects.select_related("owner").filter(pk=exercise_id).first()
    if exercise is None:
        return {}
    update = None
    if update_id is not None:
        update = ExerciseUpdate.objects.filter(pk=update_id, exercise=exercise).first()
        if update is None:
            return {}
    broadcast = exercise_broadcast(exercise=exercise, update=update)
    if broadcast is None:
        return {"told": False}
    return {"told": True, **broadcast.recipients}
