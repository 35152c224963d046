from django.db import models

from urna.audit.models import AuditEntry, AuditQuerySet


def audit_history(*, obj: models.Model) -> AuditQuerySet:
    return AuditEntry.objects.for_object(obj).select_related("actor")
