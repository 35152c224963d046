from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "urna.surveys"
    label = "surveys"
    verbose_name = "Encuestas"

    def ready(self) -> None:
        from urna.core.personal_data import PersonalDataHolder, register_personal_data
        from urna.surveys.personal_data import responses_erase, responses_export, sessions_expire

        register_personal_data(
            PersonalDataHolder(
                label="survey_responses",
                export=responses_export,
                erase=responses_erase,
                expire=sessions_expire,
            )
        )
