from urna.jobs.registry import task
from urna.messaging.dispatch import DISPATCH_TASK, dispatch_batch_run
from urna.messaging.models import OutboundMessage
from urna.messaging.services import SEND_TASK, message_mark_failed, message_send


@task(SEND_TASK, max_attempts=6, priority=50)
def send_message(*, message_id: int) -> str:
    try:
        return message_send(message_id=message_id)
    except Exception as exc:
        message = OutboundMessage.objects.filter(pk=message_id).only("attempts").first()
        if message is not None and message.attempts >= send_message.max_attempts:
            message_mark_failed(message_id=message_id, error=f"{exc.__class__.__name__}: {exc}")
        raise


# A campaign's ranges go after replies and codes (priority 50): a citizen waiting for an answer
# is not held up by 2,000,000 campaign messages.
@task(DISPATCH_TASK, max_attempts=10, priority=120)
def dispatch_batch(*, dispatch_id: int, first_id: int, last_id: int) -> dict:
    return dispatch_batch_run(dispatch_id=dispatch_id, first_id=first_id, last_id=last_id)
