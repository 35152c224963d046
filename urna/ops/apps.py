from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What an operator runs and watches: backups that restore (``manage.py backup`` and
    ``restore``) and the Prometheus ``/metrics`` endpoint. In the edges layer: the metrics read
    the queue, the channels, the outbox and the queries."""

    name = "urna.ops"
    label = "ops"
