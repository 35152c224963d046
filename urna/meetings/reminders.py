"""The reminder a registrant gets 24 hours before a meeting, on the channel they chose.

It passes the consent gate (purpose "answers", which the registration granted on that channel):
a citizen who withdrew it since, or whose contact was erased, gets nothing. Each registration
is reminded once per start time: the row is stamped by a conditional UPDATE before the message
is queued, in one transaction, so the job run twice (or by two workers) queues it once.
"""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from urna.meetings.models import Meeting, Registration
from urna.meetings.registrations import registrant_tell_once, registration_url, when_where


def meeting_remind(*, meeting_id: int, starts_at_iso: str) -> dict[str, int]:
    """Remind every confirmed registrant of the meeting, if it still starts at
    ``starts_at_iso`` (a meeting moved has its own job). Returns what was queued and what the
    consent gate held back."""
    counts = {"queued": 0, "suppressed": 0}
    meeting = Meeting.objects.select_related("municipality").filter(pk=meeting_id).first()
    if meeting is None or meeting.cancelled_at is not None or meeting.published_at is None:
        return counts
    starts_at = datetime.fromisoformat(starts_at_iso)
    if meeting.starts_at != starts_at:
        return counts
    pending = (
        Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=starts_at))
        .select_related("contact")
        .order_by("id")
    )
    for registration in pending:
        told = registrant_tell_once(
            registration,
            claim=Registration.objects.filter(pk=registration.pk).filter(
                Q(reminded_for__isnull=True) | ~Q(reminded_for=starts_at)
            ),
            stamp={"reminded_for": starts_at},
            subject=_("Recordatorio: %(title)s") % {"title": meeting.title},
            body=_("Recuerde: mañana es %(title)s.\n%(when)s\nCódigo: %(code)s\n%(url)s")
            % {
                "title": meeting.title,
                "when": when_where(meeting),
                "code": registration.code,
                "url": registration_url(registration),
            },
        )
        if told:
            counts[told] += 1
    return counts
