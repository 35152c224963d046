"""Staff API of the response network (``/red/`` as an API), mounted by ``urna.api`` at
/api/v1/network: ``entities`` (the entities a user administers, the partners, the territorial
offices), ``staff`` (an entity's team and roles) and ``rules`` (routing rules and their test,
terms, non-working days, answer templates). Session or personal API token, as every staff
endpoint.

Each endpoint calls the pages' own access rule (``urna.network.access``: 403 for a role without
the tool, 404 for another entity's object), selectors and services (which check the permission
again and write the audit log)."""

from ninja import Router

from urna.accounts.api_auth import STAFF_AUTH
from urna.network.api import entities, rules, staff

router = Router(tags=["red de entidades"], auth=STAFF_AUTH)
router.add_router("", entities.router)
router.add_router("", staff.router)
router.add_router("", rules.router)
