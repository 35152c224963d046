from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "urna.reports"
    label = "reports"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from urna.exercises.signals import results_changed
        from urna.opendata.links import exercise_link_register
        from urna.reports.selectors import report_url_for
        from urna.reports.services import informe_regenerate, report_regenerate

        def _rebuild(sender: object, *, exercise: object, **kwargs: object) -> None:
            report_regenerate(exercise=exercise)
            informe_regenerate(exercise=exercise)

        results_changed.connect(
            _rebuild, dispatch_uid="reports.rebuild_on_results_changed", weak=False
        )
        # An exercise's dataset page links to its report once the results are published.
        exercise_link_register(
            key="reports.report",
            label=gettext_lazy("Informe de participación"),
            url_for=report_url_for,
        )
