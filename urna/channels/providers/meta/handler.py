"""Comments on linked Facebook and Instagram posts become contributions."""

from urna.channels import intake
from urna.channels.models import InboundMessage, SocialPostLink
from urna.channels.registry import Outcome
from urna.contacts.services import ContactDetails
from urna.core.errors import DomainError

Result = InboundMessage.Result
Status = InboundMessage.Status


def comment_handle(message: InboundMessage) -> Outcome:
    post_id = message.headers.get("post_id", "")
    link = (
        SocialPostLink.objects.filter(platform=message.provider, post_id=post_id)
        .only("exercise_id")
        .first()
    )
    if link is None or not message.body.strip():
        return Outcome(status=Status.IGNORED)
    # The public profile is the only contact a commenter gave; it is kept for staff, never shown.
    contact = ContactDetails(
        handle=message.sender, name=message.headers.get("profile_name", ""), consent=True
    )
    try:
        result = intake.contribute(
            exercise_id=link.exercise_id,
            kind="opinion",
            text=message.body,
            channel=message.provider,
            key=intake.idempotency_key(message.provider, message.provider_message_id),
            contact=contact,
        )
    except DomainError:
        return Outcome(result=Result.REJECTED)
    receipt = result.contribution.receipt
    return Outcome(result=Result.CONTRIBUTION, receipt=receipt)
