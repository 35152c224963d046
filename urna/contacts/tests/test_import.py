"""Importing contacts from CSV and XLSX: values, bad rows, consent, dedup, merge, idempotency and
resuming an interrupted run."""

import io
import random
from pathlib import Path

import openpyxl
import pytest

from urna.accounts.models import Role
from urna.accounts.services import phone_normalise
from urna.audit.models import AuditEntry
from urna.contacts import imports
from urna.contacts.consent import bit, bits
from urna.contacts.imports import run
from urna.contacts.models import (
    ConsentEvent,
    Contact,
    ContactImport,
    ContactInterest,
    ImportRejection,
    Source,
)
from urna.contacts.services import consent_revoke
from urna.core.errors import InvalidInput, PermissionDenied
from urna.jobs.services import run_pending

HEADER = "Nombre;Celular;Correo;Cod DANE;Temas\n"
GOOD = [
    "Ana Pérez;300 123 4567;ana@example.org;17001;agua|vías terciarias\n",
    "Beto Ruiz;+57 310-555-0101;;05001;salud\n",
    "Carla Díaz;;carla@example.org;;\n",
]


@pytest.fixture
def officer(agriculture, make_staff):
    return make_staff(agriculture, Role.CAMPAIGN, username="oficial")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(entity, by, content: bytes, name="contactos.csv") -> ContactImport:
    return imports.contact_import_upload(
        entity=entity, by=by, upload=io.BytesIO(content), name=name
    )


def run_import(
    entity,
    by,
    content: bytes,
    *,
    name="contactos.csv",
    basis="declaration",
    purposes=("campaigns",),
    channels=("sms", "email"),
    evidence="Formulario físico jornada Manizales 2026-10-03, archivo escaneado 44",
    mapping=None,
) -> ContactImport:
    contact_import = upload(entity, by, content, name)
    if mapping is not None:
        imports.contact_import_map(contact_import=contact_import, mapping=mapping, by=by)
    imports.contact_import_start(
        contact_import=contact_import,
        basis=basis,
        purposes=purposes,
        channels=channels,
        evidence=evidence,
        by=by,
    )
    assert run_pending() == 1
    contact_import.refresh_from_db()
    return contact_import


def rejections(contact_import) -> list[tuple[int, str]]:
    return list(contact_import.rejections.values_list("row_number", "reason"))


# --- values ---------------------------------------------------------------------------------------


def test_phone_fast_path_agrees_with_phonenumbers_on_a_sample():
    rng = random.Random(15)
    prefixes = ["300", "301", "305", "310", "315", "320", "323", "324", "333", "350", "351"]
    prefixes += ["306", "309", "325", "339", "352", "370", "399"]  # some not mobile ranges
    samples = []
    for _ in range(3000):
        national = rng.choice(prefixes) + f"{rng.randrange(10**7):07d}"
        form = rng.randrange(7)
        samples.append(
            [
                national,
                f"{national[:3]} {national[3:6]} {national[6:]}",
                f"+57 {national[:3]}-{national[3:]}",
                f"57{national}",
                f"+57{national}",
                f"({national[:3]}) {national[3:]}",
                f"+{national}",
            ][form]
        )
    samples += ["6012345678", "601 234 5678", "+1 202 555 0143", "12345", "abc", "0573001234567"]
    samples += [
        "+573001234567",
        "3001234567",
        "30012345678",
        "57 300 123 4567",
        "+57 (300) 1234567",
    ]
    for raw in samples:
        try:
            expected = phone_normalise(raw)
        except InvalidInput:
            expected = None
        assert imports.phone_e164(raw) == expected, raw


def test_mapping_is_guessed_from_spanish_headers():
    headers = ["NOMBRE COMPLETO", "Teléfono celular", "Correo electrónico", "cod_dane", "Temas"]
    headers += ["Autoriza", "Soporte", "Departamento", "Canal preferido", "Idioma"]
    assert imports.mapping_guess(headers) == {
        "name": 0,
        "phone": 1,
        "email": 2,
        "municipality": 3,
        "topics": 4,
        "consent": 5,
        "consent_evidence": 6,
        "department": 7,
        "preferred_channel": 8,
        "language": 9,
    }


# --- importing ----------------------------------------------------------------------------------


def test_csv_with_semicolons_and_bom_creates_contacts_with_consent(agriculture, officer, media):
    content = ("\ufeff" + HEADER + "".join(GOOD)).encode("utf-8")
    done = run_import(agriculture, officer, content)

    assert (done.status, done.kind, done.delimiter, done.encoding) == (
        "done",
        "csv",
        ";",
        "utf-8-sig",
    )
    assert done.headers[0] == "Nombre"
    assert (done.rows_done, done.created, done.updated, done.unchanged, done.rejected) == (
        3,
        3,
        0,
        0,
        0,
    )
    ana = Contact.objects.get(phone="+573001234567")
    assert (ana.email, ana.name, ana.municipality_id, ana.department_id) == (
        "ana@example.org",
        "Ana Pérez",
        "17001",
        "17",
    )
    assert ana.consents == bits(["campaigns"], ["sms", "email"])
    assert (ana.source, ana.source_detail) == (Source.IMPORT, f"import:{done.pk}")
    assert set(ana.interests.values_list("kind", "value")) == {
        ("entity", "MINAGRICULTURA"),
        ("topic", "agua"),
        ("topic", "vias-terciarias"),
    }
    event = ConsentEvent.objects.get(contact=ana)
    assert (event.action, event.via, event.scope, event.actor_id) == (
        "grant",
        "import",
        ana.consents,
        officer.pk,
    )
    assert event.evidence == (
        f"import:{done.pk} fila 2 · Formulario físico jornada Manizales 2026-10-03, "
        "archivo escaneado 44"
    )
    beto = Contact.objects.get(phone="+573105550101")
    assert beto.consents == bit("campaigns", "sms")  # no email: no email consent
    carla = Contact.objects.get(email="carla@example.org")
    assert carla.consents == bit("campaigns", "email") and carla.phone is None
    # One audit entry when it started and one when it finished, with the counts.
    entries = AuditEntry.objects.filter(object_type="contacts.contactimport")
    assert list(entries.order_by("id").values_list("action", flat=True)) == [
        "contact.import_start",
        "contact.import_finish",
    ]
    assert entries.get(action="contact.import_finish").after["created"] == 3
    # The uploaded file is gone; the import keeps its fingerprint.
    assert done.path == "" and list((media / "imports").iterdir()) == []


def test_bad_rows_are_rejected_with_their_reason_and_never_stored(agriculture, officer):
    content = (
        HEADER
        + GOOD[0]
        + "Mal teléfono;12345;;;\n"
        + "Mal correo;3001112233;no-es-correo;;\n"
        + "DANE raro;3001112244;;99999;\n"
        + ";;;;\n"
        + "Repetida;3001234567;;;\n"
        + "Sin datos;;;17001;\n"
        + "Repetido correo;3009998877;ANA@example.org;;\n"
        + GOOD[1]
    ).encode("utf-8")
    done = run_import(agriculture, officer, content)

    assert rejections(done) == [
        (3, "teléfono no válido"),
        (4, "correo electrónico no válido"),
        (5, "código DANE de municipio desconocido"),
        (6, "fila vacía"),
        (7, "duplicada: el teléfono o el correo ya está en una fila anterior del archivo"),
        (8, "sin teléfono ni correo electrónico"),
        (9, "duplicada: el teléfono o el correo ya está en una fila anterior del archivo"),
    ]
    assert (done.rows_done, done.created, done.rejected) == (9, 2, 7)
    assert done.created + done.updated + done.unchanged + done.rejected == done.rows_done
    assert Contact.objects.count() == 2
    assert not Contact.objects.filter(phone__in=["+573001112233", "+573001112244"]).exists()
    kept = ImportRejection.objects.get(contact_import=done, row_number=4)
    assert kept.values == ["Mal correo", "3001112233", "no-es-correo", "", ""]


def test_consent_column_rejects_rows_without_authorisation(agriculture, officer):
    content = (
        "nombre,celular,autoriza,soporte\n"
        "Ana,3001234567,Sí,planilla 7\n"
        "Beto,3105550101,no,\n"
        "Carla,3115550102,,\n"
        "Dora,3125550103,X,\n"
    ).encode()
    done = run_import(agriculture, officer, content, basis="column", evidence="")

    assert rejections(done) == [(3, "sin autorización"), (4, "sin autorización")]
    assert set(Contact.objects.values_list("phone", flat=True)) == {
        "+573001234567",
        "+573125550103",
    }
    ana = ConsentEvent.objects.get(contact__phone="+573001234567")
    assert ana.evidence == f"import:{done.pk} fila 2 · planilla 7"
    assert ConsentEvent.objects.get(contact__phone="+573125550103").evidence == (
        f"import:{done.pk} fila 5"
    )


def test_declaration_needs_its_evidence_and_column_basis_needs_the_column(agriculture, officer):
    contact_import = upload(agriculture, officer, (HEADER + GOOD[0]).encode())
    with pytest.raises(InvalidInput) as missing:
        imports.contact_import_start(
            contact_import=contact_import,
            basis="declaration",
            purposes=["campaigns"],
            channels=["sms"],
            evidence="",
            by=officer,
        )
    assert missing.value.field == "evidence"
    with pytest.raises(InvalidInput) as no_column:
        imports.contact_import_start(
            contact_import=contact_import,
            basis="column",
            purposes=["campaigns"],
            channels=["sms"],
            evidence="",
            by=officer,
        )
    assert no_column.value.field == "basis"
    contact_import.refresh_from_db()
    assert contact_import.status == "mapping" and contact_import.job_id is None


def test_xlsx_is_streamed_and_numeric_cells_read_as_typed(agriculture, officer):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nombre", "Celular", "Correo", "Código DANE municipio", "Departamento"])
    sheet.append(["Ana", 3001234567, "ana@example.org", 5001, 5])
    sheet.append(["Beto", "310 555 0101", None, "17001", "05"])
    sheet.append([None, None, None, None, None])  # formatted empty rows at the end
    sheet.append([None, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    done = run_import(agriculture, officer, buffer.getvalue(), name="lista.xlsx")

    assert (done.kind, done.rows_done, done.created) == ("xlsx", 2, 1)
    assert rejections(done) == [(3, "el municipio no pertenece al departamento")]
    ana = Contact.objects.get(phone="+573001234567")
    assert (ana.municipality_id, ana.department_id) == ("05001", "05")


def test_windows_csv_is_read_as_cp1252(agriculture, officer):
    content = "nombre\tcelular\nMaría Núñez\t3001234567\n".encode("cp1252")
    done = run_import(agriculture, officer, content)
    assert (done.encoding, done.delimiter) == ("cp1252", "\t")
    assert Contact.objects.get().name == "María Núñez"


def test_reimporting_the_same_file_changes_nothing(agriculture, officer):
    content = (HEADER + "".join(GOOD) + "Mal;123;;;\n" + GOOD[0]).encode("utf-8")
    first = run_import(agriculture, officer, content)
    contacts = list(Contact.objects.order_by("pk").values())
    events = ConsentEvent.objects.count()
    interests = ContactInterest.objects.count()

    second = run_import(agriculture, officer, content)

    assert first.sha256 == second.sha256 and first.pk != second.pk
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 3, 2)
    assert rejections(second) == rejections(first)
    assert ConsentEvent.objects.count() == events
    assert ContactInterest.objects.count() == interests
    assert list(Contact.objects.order_by("pk").values()) == contacts
    assert imports.previous_import(second) == first


def test_existing_contacts_get_what_they_lack_and_events_only_for_new_pairs(agriculture, officer):
    known = Contact.objects.create(phone="+573001234567", consents=bit("campaigns", "sms"))
    other = Contact.objects.create(phone="+573105550101", name="Roberto")
    content = (HEADER + GOOD[0] + GOOD[1]).encode("utf-8")
    done = run_import(agriculture, officer, content, channels=["sms"])

    assert (done.created, done.updated, done.unchanged) == (0, 2, 0)
    known.refresh_from_db()
    # Email and territory added; the sms bit was there already: no consent event for Ana.
    assert (known.email, known.municipality_id, known.name) == (
        "ana@example.org",
        "17001",
        "Ana Pérez",
    )
    assert known.consents == bit("campaigns", "sms")
    assert not ConsentEvent.objects.filter(contact=known).exists()
    assert ("topic", "agua") in set(known.interests.values_list("kind", "value"))
    other.refresh_from_db()
    assert other.name == "Roberto" and other.consents == bit("campaigns", "sms")
    assert ConsentEvent.objects.get(contact=other).scope == bit("campaigns", "sms")


def test_a_revoked_pair_is_not_granted_again_by_an_import(agriculture, officer):
    citizen = Contact.objects.create(phone="+573001234567", consents=bit("campaigns", "sms"))
    consent_revoke(contact=citizen, scope=bit("campaigns", "sms"), via="keyword", channel="sms")
    content = (HEADER + GOOD[0]).encode("utf-8")
    done = run_import(agriculture, officer, content)

    citizen.refresh_from_db()
    assert citizen.consents == bit("campaigns", "email")  # the new pair only
    assert done.withheld == 1
    assert ConsentEvent.objects.filter(contact=citizen, via="import").get().scope == bit(
        "campaigns", "email"
    )


def test_a_row_whose_phone_and_email_are_two_contacts_merges_them(agriculture, officer):
    by_phone = Contact.objects.create(phone="+573001234567")
    by_email = Contact.objects.create(email="ana@example.org", consents=bit("answers", "email"))
    done = run_import(agriculture, officer, (HEADER + GOOD[0]).encode("utf-8"))

    assert (done.merged, done.updated, done.created) == (1, 1, 0)
    by_phone.refresh_from_db()
    by_email.refresh_from_db()
    assert by_email.merged_into_id == by_phone.pk
    assert by_phone.email == "ana@example.org"
    assert by_phone.consents == bit("answers", "email") | bits(["campaigns"], ["sms", "email"])
    assert Contact.objects.live().count() == 1


def test_an_interrupted_run_resumes_after_the_last_committed_chunk(agriculture, officer):
    lines = [f"Persona {n};300{n:07d};;;tema{n % 3}\n" for n in range(9)]
    lines.insert(6, "Repetida;3000000001;;;\n")  # duplicates row 3, across the chunk boundary
    contact_import = upload(agriculture, officer, (HEADER + "".join(lines)).encode("utf-8"))
    imports.contact_import_start(
        contact_import=contact_import,
        basis="declaration",
        purposes=["answers"],
        channels=["sms"],
        evidence="Planillas de la jornada de Chinchiná",
        by=officer,
    )

    class Crash(Exception):
        pass

    def crash(_import):
        raise Crash

    with pytest.raises(Crash):
        imports.contact_import_run(import_id=contact_import.pk, chunk_rows=4, after_chunk=crash)
    contact_import.refresh_from_db()
    assert (contact_import.status, contact_import.rows_done, contact_import.created) == (
        "running",
        4,
        4,
    )
    assert Contact.objects.count() == 4

    result = imports.contact_import_run(import_id=contact_import.pk, chunk_rows=4)

    assert result == {
        "status": "done",
        "rows": 10,
        "created": 9,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "withheld": 0,
        "merged": 0,
    }
    assert rejections(contact_import) == [
        (8, "duplicada: el teléfono o el correo ya está en una fila anterior del archivo")
    ]
    assert Contact.objects.count() == 9 and ConsentEvent.objects.count() == 9
    # A third run (the job retried once more) finds it done and changes nothing.
    assert imports.contact_import_run(import_id=contact_import.pk) == result


def test_only_staff_with_the_import_action_in_the_entity_may_upload(
    agriculture, education, make_staff
):
    analyst = make_staff(agriculture, Role.ANALYST)
    with pytest.raises(PermissionDenied):
        upload(agriculture, analyst, (HEADER + GOOD[0]).encode())
    officer_elsewhere = make_staff(education, Role.CAMPAIGN)
    with pytest.raises(PermissionDenied):
        upload(agriculture, officer_elsewhere, (HEADER + GOOD[0]).encode())
    assert not ContactImport.objects.exists()


def test_an_old_xls_file_is_refused_and_not_kept(agriculture, officer, media):
    with pytest.raises(InvalidInput):
        upload(agriculture, officer, b"\xd0\xcf\x11\xe0" + b"\x00" * 100, name="viejo.xls")
    assert not ContactImport.objects.exists()
    assert list(Path(media, "imports").iterdir()) == []


def test_email_fast_path_agrees_with_djangos_validator():
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    samples = ["ana@example.org", "ana.perez_2@correo.gov.co", "a+b@x.co", "Ana@Example.ORG"]
    samples += ["ana..perez@example.org", ".ana@example.org", "ana@", "@example.org", "ana@x"]
    samples += ["ana@-x.co", "ana@x-.co", "ana@x.c", "ana@x.c0m", "ana@[127.0.0.1]", "a b@x.co"]
    samples += ["ñandú@example.org", "ana@ñandú.co", "ana@example.org.", "x" * 250 + "@a.co"]
    for raw in samples:
        email = raw.strip().lower()
        try:
            validate_email(email)
            expected = email if len(email) <= 254 else None
        except ValidationError:
            expected = None
        assert imports.email_clean(raw) == expected, raw


def test_a_run_that_fails_on_its_last_attempt_ends_the_import_as_failed(
    agriculture, officer, monkeypatch, media
):
    from urna.jobs.models import Job

    contact_import = upload(agriculture, officer, (HEADER + GOOD[0]).encode())
    imports.contact_import_start(
        contact_import=contact_import,
        basis="declaration",
        purposes=["answers"],
        channels=["sms"],
        evidence="Planillas de la jornada de Chinchiná",
        by=officer,
    )
    Job.objects.filter(pk=contact_import.job_id).update(max_attempts=1)

    def broken(self, rows, rejections):
        raise RuntimeError("disk full")

    monkeypatch.setattr(run._Chunk, "write", broken)
    run_pending()

    contact_import.refresh_from_db()
    assert contact_import.status == "failed"
    assert contact_import.error == "Falló sin más reintentos (RuntimeError)."
    assert (contact_import.rows_done, Contact.objects.count()) == (0, 0)
    assert list(Path(media, "imports").iterdir()) == []
    assert Job.objects.get(pk=contact_import.job_id).status == "failed"
