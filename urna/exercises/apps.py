from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "urna.exercises"
    label = "exercises"
    verbose_name = "Ejercicios de participación"

    def ready(self) -> None:
        from urna.core.receipts import register_status_view
        from urna.exercises.views import contribution_status

        register_status_view("UC", contribution_status)
