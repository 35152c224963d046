from urna.jobs.registry import task
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
