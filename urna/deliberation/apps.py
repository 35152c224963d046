from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "urna.deliberation"
    label = "deliberation"
    verbose_name = "Deliberación"

    def ready(self) -> None:
        from urna.core.personal_data import PersonalDataHolder, register_personal_data
        from urna.deliberation.personal_data import (
            participation_erase,
            participation_export,
            participation_of_account,
        )

        register_personal_data(
            PersonalDataHolder(
                label="deliberation",
                export=participation_export,
                erase=participation_erase,
                account_export=participation_of_account,
            )
        )
