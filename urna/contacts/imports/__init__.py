"""Importing contacts from a CSV or XLSX file: upload, column mapping, the consent basis and the
background run that streams the file chunk by chunk.

Nothing is stored without the citizen's authorisation: each row either carries it (a consent
column) or the whole file is covered by a declaration with its evidence ("Formulario físico
jornada Manizales 2026-10-03, archivo escaneado 44"). Every row read ends in exactly one of
created, updated, unchanged or rejected; a rejected row keeps its values and the reason for the
staff's report. The run is resumable: each chunk commits with ``ContactImport.rows_done``, and a
rerun (the job retried after a crash) reads the file again from the top, rebuilding what it must
remember of the rows already done (their phones and emails, to tell duplicates in the file) and
writing from the first row not committed. Importing the same file again finds every contact as
it left it: nothing changes, and each row says so.

An import never grants again a (purpose, channel) pair the citizen revoked: their own
withdrawal stands over a list (the row is counted in ``withheld``).
"""

from urna.contacts.imports.files import file_inspect, file_rows
from urna.contacts.imports.run import CHUNK_ROWS, contact_import_error, contact_import_run
from urna.contacts.imports.services import (
    IMPORT_ACTION,
    IMPORT_TASK,
    VIEW_ACTION,
    contact_import_map,
    contact_import_start,
    contact_import_upload,
    imports_visible,
    previous_import,
    rejection_rows,
)
from urna.contacts.imports.values import (
    TARGETS,
    email_clean,
    header_key,
    mapping_guess,
    phone_e164,
)

__all__ = [
    "CHUNK_ROWS",
    "IMPORT_ACTION",
    "IMPORT_TASK",
    "TARGETS",
    "VIEW_ACTION",
    "contact_import_error",
    "contact_import_map",
    "contact_import_run",
    "contact_import_start",
    "contact_import_upload",
    "email_clean",
    "file_inspect",
    "file_rows",
    "header_key",
    "imports_visible",
    "mapping_guess",
    "phone_e164",
    "previous_import",
    "rejection_rows",
]
