from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "urna.channels"
    label = "channels"

    def ready(self) -> None:
        # Registrations into the platform apps below, made at startup: the outbox's provider
        # backends (messaging never imports channels) and the citizen's personal data.
        import urna.channels.backends  # noqa: F401
        from urna.channels.personal_data import inbound_erase, inbound_expire, inbound_export
        from urna.contacts.services import PersonalDataHolder, register_personal_data

        register_personal_data(
            PersonalDataHolder(
                label="messages_received",
                export=inbound_export,
                erase=inbound_erase,
                expire=inbound_expire,
            )
        )
