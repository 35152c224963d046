"""Demo staff: the platform team and response managers of several ministries and offices.

All demo users share the password in DEMO_PASSWORD; `make run` prints it. Never used in
production: the command refuses to create them when URNA_ENV=production.
"""

from django.conf import settings

from urna.accounts.models import Role
from urna.accounts.services import staff_create
from urna.entities.models import Entity

DEMO_PASSWORD = "urna-demo-2026"  # noqa: S105 - demo only, refused in production

DEMO_STAFF = [
    # username, entity acronym, role, is_lead, first name, last name
    ("admin", "URNA", Role.ADMIN, True, "Ana", "Administradora"),
    ("moderadora", "URNA", Role.MODERATOR, False, "Marta", "Moderadora"),
    ("analista", "URNA", Role.ANALYST, False, "Andrés", "Analista"),
    ("campanas", "URNA", Role.CAMPAIGN, False, "Camilo", "Campañas"),
    ("gestor.agricultura", "MINAGRICULTURA", Role.MANAGER, True, "Gloria", "Gestora"),
    ("gestor2.agricultura", "MINAGRICULTURA", Role.MANAGER, False, "Germán", "Gestor"),
    ("analista.agricultura", "MINAGRICULTURA", Role.ANALYST, False, "Alba", "Analista"),
    ("gestor.educacion", "MINEDUCACION", Role.MANAGER, True, "Elena", "Gestora"),
    ("gestor.tic", "MINTIC", Role.MANAGER, True, "Tomás", "Gestor"),
    ("gestor.salud", "MINSALUD", Role.MANAGER, True, "Sara", "Gestora"),
    ("gestor.deporte", "MINDEPORTE", Role.MANAGER, True, "Diego", "Gestor"),
    ("gestor.manizales", "ALC-17001", Role.MANAGER, True, "Mónica", "Gestora"),
    # The Mayor's Office of Manizales runs its own team (/red/): its administrator.
    ("admin.manizales", "ALC-17001", Role.ADMIN, False, "Manuel", "Administrador"),
]


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        stdout.write("accounts: production mode, no demo users created")
        return
    for username, acronym, role, is_lead, first, last in DEMO_STAFF:
        user = staff_create(
            username=username,
            password=DEMO_PASSWORD,
            entity=Entity.objects.get(acronym=acronym),
            role=role,
            is_lead=is_lead,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.urna.localhost",
        )
        if username == "admin" and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
    stdout.write(f"accounts: {len(DEMO_STAFF)} demo staff users (password: {DEMO_PASSWORD})")
