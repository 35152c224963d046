from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "urna.channels"
    label = "channels"

    def ready(self) -> None:
        # Registrations made at startup: each provider (its channels, handlers, outbox senders
        # and URLs; see registry.py) and the citizen's personal data held here. The platform
        # apps below (messaging, contacts) never import channels.
        from urna.channels.personal_data import inbound_erase, inbound_expire, inbound_export
        from urna.channels.providers.africastalking.provider import AFRICASTALKING
        from urna.channels.providers.email.provider import EMAIL
        from urna.channels.providers.meta.provider import META
        from urna.channels.providers.twilio.provider import TWILIO
        from urna.channels.registry import integration_register
        from urna.channels.ussd.provider import USSD
        from urna.core.personal_data import PersonalDataHolder, register_personal_data

        for integration in (USSD, AFRICASTALKING, TWILIO, META, EMAIL):
            integration_register(integration)
        register_personal_data(
            PersonalDataHolder(
                label="messages_received",
                export=inbound_export,
                erase=inbound_erase,
                expire=inbound_expire,
            )
        )
