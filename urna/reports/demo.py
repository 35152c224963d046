"""Demo reports: takeaways for the demo exercises with published results, and their PDFs."""

from django.conf import settings

from urna.accounts.models import User
from urna.reports.models import ReportTakeaways
from urna.reports.selectors import reportable_exercises
from urna.reports.services import report_pdf_build, takeaways_save

DEMO_TAKEAWAYS = """La participación por **SMS y USSD** llegó a municipios donde la web casi no
llega: mantener esos canales abiertos en los próximos ejercicios.

- Las campañas masivas se agruparon y se respondieron una sola vez, con la misma razón.
- Varias propuestas se incorporaron al texto final; las no aceptadas tienen su razón publicada.
- Para el próximo ejercicio: anunciarlo en emisoras comunitarias desde el primer día.
"""


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        return
    admin = User.objects.filter(username="admin").first()
    built = 0
    for exercise in reportable_exercises().filter(is_example=True).order_by("id")[:3]:
        if admin and not ReportTakeaways.objects.filter(exercise=exercise).exists():
            takeaways_save(exercise=exercise, body=DEMO_TAKEAWAYS, by=admin)
        report_pdf_build(exercise=exercise)
        built += 1
    stdout.write(f"reports: {built} demo reports with takeaways and PDF (/informes/)")
