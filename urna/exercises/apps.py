from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "urna.exercises"
    label = "exercises"
