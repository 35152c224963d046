from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "urna.exercises"
    label = "exercises"
    verbose_name = "Ejercicios de participación"

    def ready(self) -> None:
        from urna.core.personal_data import PersonalDataHolder, register_personal_data
        from urna.exercises.personal_data import (
            contribution_contact_links,
            contributions_export,
            contributions_of_account,
            follows_erase,
            follows_export,
        )

        register_personal_data(
            PersonalDataHolder(
                label="contributions",
                export=contributions_export,
                account_export=contributions_of_account,
                contact_links=contribution_contact_links,
            )
        )
        register_personal_data(
            PersonalDataHolder(label="exercise_follows", export=follows_export, erase=follows_erase)
        )

        from urna.core.receipts import register_status_view
        from urna.exercises.views import contribution_status

        register_status_view("UC", contribution_status)

        from urna.exercises.models import Exercise
        from urna.queries.registry import register_exercise_lookup

        # Queries sit below exercises: a query filed about an exercise finds it through this.
        register_exercise_lookup(
            lambda code: Exercise.objects.select_related("owner").filter(code=code).first()
        )
