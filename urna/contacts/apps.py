from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "urna.contacts"
    label = "contacts"

    def ready(self) -> None:
        from urna.contacts.selectors import contact_export, contacts_live
        from urna.contacts.services import contact_erase
        from urna.core.personal_data import ContactBook, register_contact_book

        # The rights of a citizen's account (urna.accounts, below) reach the contacts its
        # filings link through the registry.
        register_contact_book(
            ContactBook(live=contacts_live, export=contact_export, erase=contact_erase)
        )
