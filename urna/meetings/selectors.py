"""Reads of meetings for the public pages, the exercise page and the staff pages."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from urna.accounts.permissions import entity_ids_for
from urna.core.errors import NotFound
from urna.entities.models import Entity
from urna.meetings.models import Meeting, Registration

WHEN_UPCOMING, WHEN_PAST, WHEN_ALL = "proximos", "pasados", "todos"
EXERCISE_PAGE_LIMIT = 5


def _with_seats(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return qs.select_related("municipality__department", "entity", "exercise").annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
        ),
    )


def meeting_list_public(
    *,
    when: str = WHEN_UPCOMING,
    municipality_code: str = "",
    entity_slug: str = "",
    entity_acronym: str = "",
    exercise_slug: str = "",
    mode: str = "",
    department_code: str = "",
) -> QuerySet[Meeting]:
    """Published meetings to come (``WHEN_UPCOMING``, soonest first), past (latest first) or
    all (``WHEN_ALL``, by date); the other arguments filter when given."""
    qs = Meeting.objects.published()
    if when == WHEN_PAST:
        qs = qs.past()
    elif when == WHEN_ALL:
        qs = qs.order_by("starts_at", "id")
    else:
        qs = qs.upcoming()
    if municipality_code:
        qs = qs.filter(municipality_id=municipality_code)
    if entity_slug and entity_acronym:
        qs = qs.filter(Q(entity__slug=entity_slug) | Q(entity__acronym__iexact=entity_acronym))
    elif entity_slug:
        qs = qs.filter(entity__slug=entity_slug)
    if exercise_slug:
        qs = qs.filter(exercise__slug=exercise_slug)
    if mode:
        qs = qs.filter(mode=mode)
    if department_code:
        qs = qs.filter(municipality__department_id=department_code)
    return _with_seats(qs)


def meeting_filter_choices() -> dict[str, list]:
    """The municipalities and entities that have a published meeting (the list's filters)."""
    published = Meeting.objects.published()
    municipalities = (
        published.exclude(municipality=None)
        .values_list("municipality_id", "municipality__display_name")
        .distinct()
        .order_by("municipality__display_name")
    )
    entities = (
        Entity.objects.filter(pk__in=published.values("entity_id"))
        .values_list("slug", "name")
        .order_by("name")
    )
    return {"municipalities": list(municipalities), "entities": list(entities)}


def meeting_get_public(*, slug: str) -> Meeting:
    meeting = _with_seats(Meeting.objects.published().filter(slug=slug)).first()
    if meeting is None:
        raise NotFound(_("No encontramos ese encuentro."))
    return meeting


def meetings_of_exercise(exercise: Any) -> list[Meeting]:
    """The exercise's published meetings still to come (for its page)."""
    qs = Meeting.objects.published().filter(exercise=exercise, cancelled_at=None).upcoming()
    return list(_with_seats(qs)[:EXERCISE_PAGE_LIMIT])


def meeting_list_staff(*, user: Any) -> QuerySet[Meeting]:
    qs = Meeting.objects.all()
    allowed = entity_ids_for(user, "meeting.manage")
    if allowed is not None:
        qs = qs.filter(entity_id__in=allowed)
    return _with_seats(qs).order_by("-starts_at", "-id")


def meeting_get_staff(*, user: Any, slug: str) -> Meeting:
    """A meeting of the user's entities; NotFound for any other (never reveals it)."""
    meeting = meeting_list_staff(user=user).filter(slug=slug).first()
    if meeting is None:
        raise NotFound(_("No encontramos ese encuentro entre los de su entidad."))
    return meeting


def registrations_staff(meeting: Meeting) -> QuerySet[Registration]:
    return Registration.objects.filter(meeting=meeting).order_by("created_at", "id")
