"""Telling a cancelled meeting's registrants, on the channel each chose.

Everyone with a seat or in the waiting line hears it once: each registration is stamped by a
conditional UPDATE before its message is queued, in one transaction, so the job run twice (a
retry, two workers) queues nothing twice. The message passes the consent gate (purpose
"answers", granted on that channel by the registration), as the reminder does.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from urna.meetings.models import Meeting, Registration
from urna.meetings.registrations import registrant_tell_once, when_where

TOLD = (Registration.Status.CONFIRMED, Registration.Status.WAITING)


def meeting_cancelled_tell(*, meeting_id: int) -> dict[str, int]:
    """Tell every registrant not yet told that the meeting is cancelled. Returns what was
    queued and what the consent gate held back."""
    counts = {"queued": 0, "suppressed": 0}
    meeting = Meeting.objects.select_related("municipality").filter(pk=meeting_id).first()
    if meeting is None or meeting.cancelled_at is None:
        return counts
    pending = (
        Registration.objects.filter(
            meeting=meeting, status__in=TOLD, cancellation_told_at__isnull=True
        )
        .select_related("contact")
        .order_by("id")
    )
    for registration in pending:
        told = registrant_tell_once(
            registration,
            claim=Registration.objects.filter(
                pk=registration.pk, cancellation_told_at__isnull=True
            ),
            stamp={"cancellation_told_at": timezone.now()},
            subject=_("Cancelado: %(title)s") % {"title": meeting.title},
            body=_(
                "Se canceló el encuentro %(title)s (%(when)s).\nMotivo: %(reason)s\n"
                "Su inscripción %(code)s queda sin efecto. Disculpe las molestias."
            )
            % {
                "title": meeting.title,
                "when": when_where(meeting),
                "reason": meeting.cancel_reason,
                "code": registration.code,
            },
        )
        if told:
            counts[told] += 1
    return counts
