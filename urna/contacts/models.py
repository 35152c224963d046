"""Citizens' contact details, held only with consent (Ley 1581 de 2012).

A contribution or a query may point at a Contact so the answer can reach the citizen. Contacts
are the CRM that campaigns reach; an opt-out stops campaigns, never answers the citizen asked for.
Erasure blanks the personal data and keeps the row so that counts and history stay consistent.
"""

from django.db import models


class ContactQuerySet(models.QuerySet):
    def campaign_audience(self) -> "ContactQuerySet":
        return self.filter(
            campaign_consent_at__isnull=False, opted_out_at__isnull=True, erased_at=None
        )


class Contact(models.Model):
    phone = models.CharField(max_length=16, null=True, blank=True)  # E.164
    email = models.EmailField(max_length=254, null=True, blank=True)
    name = models.CharField(max_length=150, blank=True)
    # Public profile handle on a social network ("facebook:123", "instagram:@x"), never published.
    handle = models.CharField(max_length=200, null=True, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_channel = models.CharField(max_length=16, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    # Consent to receive campaigns is separate from consent to be answered: writing in by SMS
    # authorises a reply, not a place in the CRM's campaign audience.
    campaign_consent_at = models.DateTimeField(null=True, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    department = models.ForeignKey(
        "territory.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    municipality = models.ForeignKey(
        "territory.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phone"], name="unique_contact_phone"),
            models.UniqueConstraint(fields=["email"], name="unique_contact_email"),
            models.UniqueConstraint(fields=["handle"], name="unique_contact_handle"),
        ]
        indexes = [models.Index(fields=["opted_out_at"], name="contact_optout_idx")]
        verbose_name = "contacto"

    def __str__(self) -> str:
        return f"Contacto #{self.pk}"

    @property
    def reachable_for_campaigns(self) -> bool:
        return (
            self.campaign_consent_at is not None
            and self.opted_out_at is None
            and not self.erased_at
        )
