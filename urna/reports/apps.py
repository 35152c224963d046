from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "urna.reports"
    label = "reports"

    def ready(self) -> None:
        from urna.exercises.signals import results_changed
        from urna.reports.services import report_regenerate

        def _rebuild(sender: object, *, exercise: object, **kwargs: object) -> None:
            report_regenerate(exercise=exercise)

        results_changed.connect(
            _rebuild, dispatch_uid="reports.rebuild_on_results_changed", weak=False
        )
