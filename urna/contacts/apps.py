from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "urna.contacts"
    label = "contacts"

    def ready(self) -> None:
        from urna.contacts.consent import consented_ids
        from urna.contacts.selectors import contact_export, contacts_live, recipient_vars
        from urna.contacts.services import contact_erase, unsubscribe_url
        from urna.core.personal_data import ContactBook, register_contact_book
        from urna.messaging.hooks import (
            register_consent_gate,
            register_recipient_vars,
            register_unsubscribe_url,
        )

        # The outbox asks this app, through registrations, who may receive what: the one
        # consent rule (urna.contacts.consent) and what a message says to each contact.
        register_consent_gate(consented_ids)
        register_recipient_vars(recipient_vars)
        register_unsubscribe_url(unsubscribe_url)

        # The rights of a citizen's account (urna.accounts, below) reach the contacts its
        # filings link through the registry.
        register_contact_book(
            ContactBook(live=contacts_live, export=contact_export, erase=contact_erase)
        )
