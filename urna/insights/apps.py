from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "urna.insights"
    label = "insights"

    def ready(self) -> None:
        # The published results page of an exercise shows the analysts' findings; exercises
        # sits below insights, so insights registers them as a section of that page.
        from urna.exercises.sections import results_section_register
        from urna.insights.selectors import findings_for_exercise

        results_section_register("findings", findings_for_exercise)
