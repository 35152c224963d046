"""Demo queries: every state of the workflow for the demo ministries and the Mayor's Office of
Manizales, answer templates, routing rules, published answers and a year of history for the
SLA board. Idempotent: each scenario query carries an idempotency key and is built once; the
history is generated once; the counters are rebuilt from the data.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from urna.accounts.models import User
from urna.contacts.services import ContactDetails
from urna.entities.models import Entity
from urna.jobs.models import Job
from urna.queries import services, terms
from urna.queries.generate import entities_and_managers, generate_queries, history_write
from urna.queries.models import (
    AnswerTemplate,
    EntityNonWorkingDay,
    Query,
    QueryEvent,
    RoutingRule,
)
from urna.queries.tasks import reminders_schedule

HISTORY_SIZE = 3000
HISTORY_MARKER = "demo-history"

TEMPLATES = [
    (
        None,
        "Traslado por competencia",
        "Su solicitud no es de competencia de esta entidad. La trasladamos a la autoridad "
        "competente, que le responderá dentro del término legal (Ley 1755 de 2015, art. 21).",
    ),
    (
        None,
        "Solicitud de información adicional",
        "Para dar respuesta de fondo necesitamos que nos indique el municipio, la vereda y el "
        "número de radicado del trámite anterior, si lo tiene.",
    ),
    (
        "MINAGRICULTURA",
        "Requisitos de crédito agropecuario",
        "Los créditos de fomento agropecuario se tramitan ante los intermediarios financieros "
        "(Banco Agrario, cooperativas). Los requisitos están en finagro.com.co.",
    ),
    (
        "MINEDUCACION",
        "Convocatoria de becas",
        "Las convocatorias de becas y créditos educativos se publican en el portal del ICETEX. "
        "Le recomendamos inscribirse a las alertas de convocatorias.",
    ),
    (
        "MINTIC",
        "Conectividad rural",
        "El programa de conectividad rural prioriza los centros poblados sin cobertura. Puede "
        "consultar el cronograma de instalación por municipio en mintic.gov.co.",
    ),
]

RULES = [
    ("MINAGRICULTURA", "cosecha, campesino, campesinos, agro, cultivo, cultivos, ganado, finagro"),
    ("MINEDUCACION", "colegio, docente, docentes, icetex, beca, becas, universidad"),
    ("MINSALUD", "eps, hospital, vacuna, vacunas, medicamento, medicamentos"),
    ("MINTIC", "internet, conectividad, wifi, telefonia"),
    ("MINDEPORTE", "deporte, estadio, polideportivo, deportista"),
]

# (key, entity acronym, type, channel, scenario, text)
SCENARIOS = [
    (
        "agri-new",
        "MINAGRICULTURA",
        "peticion",
        "web",
        "new",
        "Solicito información sobre el programa de crédito para cosecha de café en Caldas.",
    ),
    (
        "agri-assigned",
        "MINAGRICULTURA",
        "informacion",
        "sms",
        "assigned_soon",
        "Quiero copia del listado de beneficiarios del subsidio de ganado en mi municipio.",
    ),
    (
        "agri-assigned2",
        "MINAGRICULTURA",
        "queja",
        "whatsapp",
        "assigned2",
        "Queja porque el funcionario de la oficina regional no atendió a los campesinos citados.",
    ),
    (
        "agri-awaiting",
        "MINAGRICULTURA",
        "reclamo",
        "email",
        "awaiting",
        "Reclamo porque no llegó el pago del incentivo a la cosecha que me aprobaron.",
    ),
    (
        "agri-extended",
        "MINAGRICULTURA",
        "consulta",
        "web",
        "extended",
        "Consulta sobre la interpretación de la norma de uso de agroquímicos cerca de ríos.",
    ),
    (
        "agri-overdue",
        "MINAGRICULTURA",
        "peticion",
        "phone",
        "overdue",
        "Pido visita técnica para los cultivos de plátano afectados por la ola invernal.",
    ),
    (
        "agri-answered",
        "MINAGRICULTURA",
        "peticion",
        "web",
        "answered",
        "¿Cuáles son los requisitos para acceder a crédito agropecuario con finagro?",
    ),
    (
        "agri-closed",
        "MINAGRICULTURA",
        "sugerencia",
        "web",
        "closed",
        "Sugiero que los trámites de registro de predios rurales se puedan hacer en línea.",
    ),
    (
        "agri-published",
        "MINAGRICULTURA",
        "peticion",
        "web",
        "published",
        "¿Dónde puedo consultar los precios de referencia de los productos del agro?",
    ),
    (
        "agri-transfer",
        "MINAGRICULTURA",
        "peticion",
        "web",
        "transferred",
        "Solicito la formalización de la propiedad de mi predio rural baldío.",
    ),
    (
        "agri-external",
        "MINAGRICULTURA",
        "denuncia",
        "web",
        "external",
        "Denuncio amenazas contra líderes campesinos de la vereda.",
    ),
    (
        "edu-new",
        "MINEDUCACION",
        "peticion",
        "web",
        "new",
        "¿Cuándo abre la convocatoria de becas para estudiantes rurales?",
    ),
    (
        "edu-assigned",
        "MINEDUCACION",
        "queja",
        "ussd",
        "assigned_soon",
        "El colegio de mi vereda lleva dos meses sin docente de matemáticas.",
    ),
    (
        "edu-overdue",
        "MINEDUCACION",
        "reclamo",
        "web",
        "overdue",
        "Reclamo por el retraso en el pago del crédito del ICETEX de mi hija.",
    ),
    (
        "edu-published",
        "MINEDUCACION",
        "consulta",
        "web",
        "published",
        "¿Las becas para universidad pública cubren también el sostenimiento?",
    ),
    (
        "tic-new",
        "MINTIC",
        "peticion",
        "whatsapp",
        "new",
        "Pido que instalen internet en la escuela rural de la vereda El Palmar.",
    ),
    (
        "tic-answered",
        "MINTIC",
        "informacion",
        "web",
        "answered",
        "¿Cuál es el cronograma de conectividad rural para el departamento de Nariño?",
    ),
    (
        "tic-published",
        "MINTIC",
        "peticion",
        "web",
        "published",
        "¿Cómo solicito una zona wifi gratuita para mi municipio?",
    ),
    (
        "salud-assigned",
        "MINSALUD",
        "queja",
        "sms",
        "assigned_soon",
        "Mi EPS no me entrega los medicamentos formulados hace un mes.",
    ),
    (
        "salud-awaiting",
        "MINSALUD",
        "peticion",
        "web",
        "awaiting",
        "Solicito información sobre el plan de vacunación en zonas rurales dispersas.",
    ),
    (
        "salud-overdue",
        "MINSALUD",
        "reclamo",
        "phone",
        "overdue",
        "Reclamo por cobro de cuota moderadora en el hospital a población exenta.",
    ),
    (
        "deporte-new",
        "MINDEPORTE",
        "sugerencia",
        "web",
        "new",
        "Sugiero escuelas deportivas gratuitas en los barrios periféricos.",
    ),
    (
        "deporte-closed",
        "MINDEPORTE",
        "peticion",
        "radio",
        "closed",
        "Pido apoyo para la deportista de mi municipio clasificada al mundial.",
    ),
    (
        "mzl-new",
        "ALC-17001",
        "peticion",
        "web",
        "new",
        "Solicito el arreglo del alumbrado público del barrio La Enea.",
    ),
    (
        "mzl-assigned",
        "ALC-17001",
        "queja",
        "whatsapp",
        "assigned_soon",
        "Queja por la acumulación de basuras en el parque del barrio Chipre.",
    ),
    (
        "mzl-answered",
        "ALC-17001",
        "peticion",
        "web",
        "answered",
        "¿Cuándo es el próximo cabildo abierto sobre el presupuesto participativo?",
    ),
    (
        "triage-1",
        None,
        "peticion",
        "web",
        "triage",
        "Necesito saber cómo tramitar mi pasaporte en el exterior con urgencia.",
    ),
    (
        "triage-2",
        None,
        "queja",
        "sms",
        "triage",
        "La vía principal de mi vereda está destruida y nadie responde.",
    ),
    (
        "triage-3",
        None,
        "informacion",
        "api",
        "triage",
        "Solicito estadísticas de accidentalidad vial del último año.",
    ),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _backdate(query: Query, business_days_ago: int) -> Query:
    """Move a demo query's filing into the past, with its legal dates from the same calendar."""
    calendar = terms.Calendar(query.entity_id)
    today = terms.local_today()
    day = today
    for _ in range(business_days_ago):
        day -= timedelta(days=1)
        while not calendar.is_business_day(day):
            day -= timedelta(days=1)
    filed_at = datetime.combine(day, time(10, 0), tzinfo=terms.BOGOTA)
    Query.objects.filter(pk=query.pk).update(
        filed_at=filed_at,
        created_at=filed_at,
        term_start=calendar.receipt_date(filed_at),
        due_date=terms.due_date(
            filed_at=filed_at, business_days=query.term_days, entity=query.entity_id
        ),
    )
    QueryEvent.objects.filter(query=query, kind__in=["filed", "routed"]).update(at=filed_at)
    query.refresh_from_db()
    return query


def _scenario(query: Query, scenario: str, manager: User, second: User | None) -> None:
    if scenario in ("new", "triage"):
        return
    if scenario == "overdue":
        query = _backdate(query, 20)
        services.query_assign(query=query, to_user=manager, by=manager)
        return
    if scenario == "assigned_soon":
        query = _backdate(query, query.term_days - 2)
        services.query_assign(query=query, to_user=manager, by=manager)
        return
    if scenario == "assigned2":
        services.query_assign(query=query, to_user=second or manager, by=manager)
        return
    if scenario == "awaiting":
        query = _backdate(query, 3)
        services.query_assign(query=query, to_user=manager, by=manager)
        services.query_request_completion(
            query=query,
            text="Indique el número de la resolución que le aprobó el beneficio y su municipio.",
            by=manager,
        )
        return
    if scenario == "extended":
        query = _backdate(query, 12)
        services.query_assign(query=query, to_user=manager, by=manager)
        services.query_extend(
            query=query,
            new_due_date=services.extension_limit(query),
            reason="La consulta requiere el concepto de la Oficina Jurídica y del área técnica.",
            by=manager,
        )
        return
    if scenario == "transferred":
        services.query_transfer(
            query=query,
            to_entity=Entity.objects.get(acronym="ANT"),
            reason="La formalización de predios rurales es competencia de la Agencia Nacional "
            "de Tierras.",
            by=manager,
        )
        return
    if scenario == "external":
        services.query_transfer(
            query=query,
            to_authority="Fiscalía General de la Nación",
            reason="Los hechos denunciados pueden constituir delitos; competen a la Fiscalía.",
            by=manager,
        )
        return
    query = _backdate(query, 6)
    services.query_assign(query=query, to_user=manager, by=manager)
    query = services.query_answer(
        query=query,
        text="Gracias por su solicitud. La información que pide está publicada en el portal de "
        "la entidad, sección Transparencia; allí encontrará los requisitos y los formatos. Si "
        "necesita apoyo, puede acudir a la oficina de atención al ciudadano de su municipio.",
        by=manager,
    )
    if scenario == "closed":
        services.query_close(query=query, by=manager)
    if scenario == "published":
        question, answer = services.publication_draft(query)
        services.query_publish(
            query=query, by=manager, public_question=question, public_answer=answer
        )


def _setup(stdout) -> None:
    for acronym, title, body in TEMPLATES:
        entity = Entity.objects.filter(acronym=acronym).first() if acronym else None
        AnswerTemplate.objects.get_or_create(entity=entity, title=title, defaults={"body": body})
    for acronym, keywords in RULES:
        entity = Entity.objects.get(acronym=acronym)
        RoutingRule.objects.get_or_create(entity=entity, keywords=keywords)
    manizales = Entity.objects.filter(acronym="ALC-17001").first()
    if manizales is not None:
        RoutingRule.objects.get_or_create(
            entity=manizales, municipality_id="17001", defaults={"priority": 50}
        )
    agriculture = Entity.objects.get(acronym="MINAGRICULTURA")
    year = terms.local_today().year
    for day, reason in ((24, "Nochebuena (día compensado)"), (31, "Fin de año (día compensado)")):
        EntityNonWorkingDay.objects.get_or_create(
            entity=agriculture,
            date=date(year, 12, day),
            defaults={"reason": reason},
        )


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        stdout.write("queries: production mode, no demo queries created")
        return
    _setup(stdout)
    created = 0
    with transaction.atomic():
        for key, acronym, type_, channel, scenario, text in SCENARIOS:
            idempotency_key = f"demo:{key}"
            if Query.objects.filter(idempotency_key=idempotency_key).exists():
                continue
            entity = Entity.objects.filter(acronym=acronym).first() if acronym else None
            if acronym and entity is None:
                continue
            prefix = "gestor.manizales" if acronym == "ALC-17001" else None
            username = prefix or f"gestor.{(acronym or 'MINAGRICULTURA')[3:].lower()}"
            manager = _user(username)
            if manager is None and scenario not in ("new", "triage"):
                continue
            contact = ContactDetails(
                email=f"ciudadano.{key}@demo.urna.localhost",
                name="Ciudadana Demo",
                consent=True,
            )
            result = services.query_submit(
                type=type_,
                text=text,
                channel=channel,
                entity=entity,
                contact=contact if channel in ("web", "email", "api") else None,
                idempotency_key=idempotency_key,
                publication_consent=scenario == "published",
            )
            if entity is None and result.query.entity_id is not None:
                # A demo routing rule matched: keep it in triage as the scenario wants.
                Query.objects.filter(pk=result.query.pk).update(entity=None, state="triage")
            _scenario(result.query, scenario, manager, _user("gestor2.agricultura"))
            created += 1
    history = 0
    if not Query.objects.filter(idempotency_key=HISTORY_MARKER).exists():
        entity_ids, managers = entities_and_managers()
        today = terms.local_today()
        last_id = Query.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with transaction.atomic():
            history = generate_queries(
                n=HISTORY_SIZE,
                entity_ids=entity_ids,
                managers=managers,
                seed=2026,
                start=today.replace(year=today.year - 1, day=1),
                end=today - timedelta(days=1),
                today=today,
            )
            marker = Query.objects.order_by("-id").first()
            Query.objects.filter(pk=marker.pk).update(idempotency_key=HISTORY_MARKER)
            history_write(queries=Query.objects.filter(id__gt=last_id))
    else:
        # A demo seeded before its history was written: its rows get theirs, once.
        history_write(queries=Query.objects.filter(events__isnull=True))
    if created or history:
        services.query_stats_rebuild()
    if not Job.objects.filter(
        name="queries.reminders", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).exists():
        reminders_schedule(run_at=timezone.now())
    stdout.write(
        f"queries: {created} scenario queries, {history} historical queries, "
        f"{Query.objects.published().count()} published answers"
    )
