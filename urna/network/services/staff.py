"""An entity's staff: invite a member by email (they set their own password from a link; nobody
else ever sees or sets it), give and take roles, mark the lead who receives escalations,
deactivate a member; and open a territorial office with its first administrator.

An entity's administrators do this for their entity (``network.manage``), the platform
administrators for every entity. Every change goes to the audit log, by username and role:
never an email or a name.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.accounts.models import Membership, Role, User
from urna.audit.services import audit_record, client_ip
from urna.core.errors import InvalidInput
from urna.core.links import absolute_url
from urna.entities.models import Entity
from urna.entities.services import entity_for_department, entity_for_municipality
from urna.messaging.services import message_queue
from urna.network.services.entities import MANAGE_ENTITIES, entity_set_active, snapshot
from urna.network.services.rules import MANAGE_NETWORK
from urna.territory.models import Department, Municipality

NAME_MAX = 150


def _username_for(first_name: str, last_name: str) -> str:
    """``nombre.apellido`` (then ``nombre.apellido2``…): readable in the audit log, and no
    email address in it."""
    base = ".".join(p for p in (slugify(first_name), slugify(last_name)) if p)[:140] or "equipo"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}{n}"
    return username


def password_link(user: User) -> str:
    """The absolute link at which ``user`` sets a password (Django's reset token: it stops
    working once a password is set, or after ``PASSWORD_RESET_TIMEOUT``). On the site's public
    address (``urna.core.links``), never the host a request came in on: an invitation made
    through the API by a system on an internal address reaches a person's inbox."""
    path = reverse(
        "accounts:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path)


@transaction.atomic
def password_link_send(*, user: User, entity: Entity, by: Any, request: Any = None) -> None:
    """Email ``user`` the link to set their password (again)."""
    permissions.require(by, MANAGE_NETWORK, entity)
    if not user.email:
        raise InvalidInput(_("Esta persona no tiene correo: no se le puede enviar el enlace."))
    message_queue(
        channel="email",
        to=user.email,
        subject=_("Urna: defina su contraseña"),
        body=_(
            "Hola %(name)s:\n\nTiene acceso al equipo de %(entity)s en Urna con el usuario "
            "%(username)s. Defina su contraseña en este enlace (sirve una sola vez):\n\n"
            "%(link)s\n\nSi no esperaba este mensaje, ignórelo."
        )
        % {
            "name": user.first_name or user.username,
            "entity": entity.name,
            "username": user.username,
            "link": password_link(user),
        },
        related=user,
    )
    audit_record(
        action="staff.password_link",
        obj=user,
        actor=by,
        entity=entity,
        after={"user": user.username},
        ip=client_ip(request),
    )


def _clean_person(email: str, first_name: str, last_name: str) -> tuple[str, str, str]:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(_("Escriba un correo electrónico válido."), field="email") from exc
    first_name = " ".join((first_name or "").split())[:NAME_MAX]
    last_name = " ".join((last_name or "").split())[:NAME_MAX]
    if not first_name:
        raise InvalidInput(_("Escriba el nombre de la persona."), field="first_name")
    return email, first_name, last_name


def _membership_create(
    *, user: User, entity: Entity, role: str, is_lead: bool, by: Any, request: Any
) -> Membership:
    if role not in Role.values:
        raise InvalidInput(_("Elija un rol."), field="role")
    membership, created = Membership.objects.get_or_create(
        user=user, entity=entity, role=role, defaults={"is_lead": is_lead}
    )
    if not created:
        raise InvalidInput(
            _("%(user)s ya tiene el rol %(role)s en esta entidad.")
            % {
                "user": user.get_full_name() or user.username,
                "role": membership.get_role_display(),
            },
            field="role",
        )
    audit_record(
        action="membership.create",
        obj=membership,
        actor=by,
        entity=entity,
        after={"user": user.username, "role": role, "is_lead": is_lead},
        ip=client_ip(request),
    )
    return membership


@transaction.atomic
def staff_invite(
    *,
    entity: Entity,
    by: Any,
    email: str,
    first_name: str,
    last_name: str = "",
    role: str,
    is_lead: bool = False,
    request: Any = None,
) -> Membership:
    """Give a person a role in ``entity``: an existing staff member by their email, or a new
    staff account (no usable password) that receives a link to set one."""
    permissions.require(by, MANAGE_NETWORK, entity)
    email, first_name, last_name = _clean_person(email, first_name, last_name)
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    new_account = user is None
    if user is not None and not user.is_staff:
        raise InvalidInput(
            _("Ese correo es de una cuenta ciudadana; use otro correo para el equipo."),
            field="email",
        )
    if new_account:
        user = User(
            username=_username_for(first_name, last_name),
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
    elif not user.is_active:
        # Back after a deactivation: a new password of their own, from a new link.
        user.is_active = True
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
    membership = _membership_create(
        user=user, entity=entity, role=role, is_lead=is_lead, by=by, request=request
    )
    if new_account or not user.has_usable_password():
        password_link_send(user=user, entity=entity, by=by, request=request)
    return membership


@transaction.atomic
def membership_add(
    *, user: User, entity: Entity, role: str, by: Any, request: Any = None
) -> Membership:
    """One more role for a member of ``entity``."""
    permissions.require(by, MANAGE_NETWORK, entity)
    return _membership_create(
        user=user, entity=entity, role=role, is_lead=False, by=by, request=request
    )


@transaction.atomic
def staff_roles_set(
    *, user: User, entity: Entity, roles: list[str], by: Any, request: Any = None
) -> list[Membership]:
    """Change a member's roles in ``entity`` to exactly ``roles``: the missing ones are given and
    the others taken, each audited as on the page, all or nothing. To take every role, use
    ``staff_deactivate``."""
    permissions.require(by, MANAGE_NETWORK, entity)
    wanted = list(dict.fromkeys(roles))
    if not wanted:
        raise InvalidInput(
            _("Elija al menos un rol; para retirar a la persona del equipo, desactívela."),
            field="roles",
        )
    if any(role not in Role.values for role in wanted):
        raise InvalidInput(_("Elija un rol."), field="roles")
    current = list(
        Membership.objects.select_for_update()
        .select_related("user", "entity")
        .filter(user=user, entity=entity)
    )
    for membership in current:
        if membership.role not in wanted:
            membership_remove(membership=membership, by=by, request=request)
    held = {m.role for m in current}
    for role in wanted:
        if role not in held:
            membership_add(user=user, entity=entity, role=role, by=by, request=request)
    return list(
        Membership.objects.filter(user=user, entity=entity).select_related("user").order_by("role")
    )


def _last_admin(membership: Membership) -> bool:
    return (
        membership.role == Role.ADMIN
        and not Membership.objects.filter(entity_id=membership.entity_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .filter(user__is_active=True)
        .exists()
    )


def _keep_an_admin(membership: Membership, by: Any) -> None:
    # An entity's administrators may not lock their entity out of its own network pages; the
    # platform administrators, who can always come back, may.
    if _last_admin(membership) and not permissions.is_platform_admin(by):
        raise InvalidInput(
            _("La entidad debe conservar al menos un administrador: nombre otro antes.")
        )


@transaction.atomic
def membership_remove(*, membership: Membership, by: Any, request: Any = None) -> None:
    permissions.require(by, MANAGE_NETWORK, membership.entity)
    _keep_an_admin(membership, by)
    audit_record(
        action="membership.delete",
        obj=membership,
        actor=by,
        entity=membership.entity,
        before={"user": membership.user.username, "role": membership.role},
        ip=client_ip(request),
    )
    membership.delete()


@transaction.atomic
def membership_set_lead(
    *, membership: Membership, is_lead: bool, by: Any, request: Any = None
) -> Membership:
    """Mark (or unmark) the member who receives the entity's escalations of overdue queries."""
    permissions.require(by, MANAGE_NETWORK, membership.entity)
    if membership.is_lead == is_lead:
        return membership
    membership.is_lead = is_lead
    membership.save(update_fields=["is_lead"])
    audit_record(
        action="membership.lead",
        obj=membership,
        actor=by,
        entity=membership.entity,
        before={"is_lead": not is_lead},
        after={"user": membership.user.username, "is_lead": is_lead},
        ip=client_ip(request),
    )
    return membership


@transaction.atomic
def staff_deactivate(*, user: User, entity: Entity, by: Any, request: Any = None) -> bool:
    """Take every role ``user`` has in ``entity``; a person left with no role anywhere can no
    longer log in. Returns whether the account was deactivated."""
    permissions.require(by, MANAGE_NETWORK, entity)
    if user.pk == getattr(by, "pk", None):
        raise InvalidInput(_("No puede desactivarse a sí mismo."))
    memberships = list(Membership.objects.filter(user=user, entity=entity))
    for membership in memberships:
        _keep_an_admin(membership, by)
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()
    deactivated = not Membership.objects.filter(user=user).exists() and user.is_active
    if deactivated:
        User.objects.filter(pk=user.pk).update(is_active=False)
    audit_record(
        action="staff.deactivate",
        obj=user,
        actor=by,
        entity=entity,
        before={"roles": sorted(m.role for m in memberships)},
        after={"user": user.username, "roles": [], "account_active": not deactivated},
        ip=client_ip(request),
    )
    return deactivated


@transaction.atomic
def territorial_office_open(
    *,
    by: Any,
    admin: dict[str, str],
    municipality: Municipality | None = None,
    department: Department | None = None,
    request: Any = None,
) -> Membership:
    """A municipality's mayor's office (or a department's governor's office) ready to run its
    own exercises and answer its queries with its own staff: the entity, active, and its first
    administrator (``admin``: email, first_name, last_name), who gets a link to set a password.
    Returns the administrator's membership (``.entity`` is the office)."""
    permissions.require(by, MANAGE_ENTITIES)
    if municipality is None and department is None:
        raise InvalidInput(_("Elija el municipio o el departamento."), field="municipality")
    if municipality is not None:
        existed = Entity.objects.filter(
            kind=Entity.Kind.MAYORALTY, municipality=municipality
        ).exists()
        entity = entity_for_municipality(municipality=municipality)
    else:
        existed = Entity.objects.filter(
            kind=Entity.Kind.GOVERNORATE, department=department
        ).exists()
        entity = entity_for_department(department=department)
    if not existed:
        audit_record(
            action="entity.create",
            obj=entity,
            actor=by,
            entity=entity,
            after=snapshot(entity),
            ip=client_ip(request),
        )
    if not entity.active:
        entity = entity_set_active(entity=entity, active=True, by=by, request=request)
    return staff_invite(
        entity=entity, by=by, role=Role.ADMIN, is_lead=True, request=request, **admin
    )
