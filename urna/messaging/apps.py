from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "urna.messaging"
    label = "messaging"

    def ready(self) -> None:
        from urna.core.personal_data import PersonalDataHolder, register_personal_data
        from urna.messaging.personal_data import outbound_erase, outbound_expire, outbound_export

        register_personal_data(
            PersonalDataHolder(
                label="messages_sent",
                export=outbound_export,
                erase=outbound_erase,
                expire=outbound_expire,
            )
        )
