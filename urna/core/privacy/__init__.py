"""Personal data typed into free text: the one detector every public output goes through.

Citizens write their name, cédula, phone, email and street address into contributions and
queries ("Soy Juan Carlos Pérez, cédula 1053778899, vivo en la Calle 23 #45-12…"). Before any of
that text is shown to the public — exercise pages, the public API, ``/r/<receipt>`` pages,
reports, insights quotes, open data — and before a log line leaves the process, it goes through
``mask_personal_data``; staff allowed to see personal data read the original.

- ``find_personal_data(text)`` returns ``Finding(kind, start, end)`` spans, kinds ``name``,
  ``document``, ``phone``, ``email``, ``address`` and ``handle``;
- ``mask_personal_data(text)`` replaces each span by a Spanish placeholder (``[nombre]``,
  ``[documento]``, ``[teléfono]``, ``[correo]``, ``[dirección]``, ``[usuario]``);
- ``personal_data_scan(text)`` does both at once for the intake (masked text and kinds found).

How each kind is recognised (regular expressions and word lists; no model is loaded):

- **email**: ``local@domain`` and the spelled forms people use to dodge filters,
  ``juan(at)gmail(dot)com``, ``carlos arroba gmail punto com``, ``mafe [at] hotmail [dot] com``;
- **phone and document**: every run of digits (with spaces, dots, dashes, parentheses) with 6 or
  more digits is classified by the words just before it ("C.C.", "cédula", "NIT", "TI", "PPT";
  "cel", "tel", "WhatsApp", "llámenme al") and then by its shape: Colombian mobiles
  (3xx xxx xxxx in any grouping, with or without +57/57), landlines (60X xxx xxxx, (60X) xxx xxxx),
  dotted document numbers (79.456.123, 1.053.778.899, NIT 900.765.432-1) and bare runs of 8 to 12
  digits. Amounts of money (``$``, ``COP``, "pesos", "millones") and counted quantities
  ("2.280.000 habitantes", "1.200 hectáreas") are left; so are dates, years, DANE codes
  (5 digits) and law numbers ("Decreto 1755 de 2015"), which have fewer than 6 digits;
- **address**: Colombian nomenclature, a street type (Calle, Cl, Cll, Carrera, Cra, Kr, CR, Avenida,
  Av, Ak, Ac, Diagonal, Dg, Transversal, Tv, Circular) with its number or name and a house number
  ``# 45-12`` / ``No. 45-12`` / ``N° 45-12`` / ``45-12``, and what follows it (apto, casa, torre,
  interior, local, oficina); ``Manzana B casa 7`` / ``Mz 4 Casa 12``; ``finca El Recreo``. A street
  without a house number ("la Carrera 7 está cerrada") is a public place and is left;
- **name**: a person's name after the words that introduce one ("soy", "me llamo", "mi nombre es",
  "les escribe", "atentamente", "att", "firma", "yo,", "mi hija", "doña", "el señor"…), in any
  case, and capitalised given-name + surname sequences checked against the lists of Colombian
  given names and surnames in ``urna/core/data`` (built from the ``names-dataset`` package; see
  its README). Names that are also ordinary words or places ("Paz", "Luz", "Rosa", "Mesa",
  "Valencia") count only next to an unambiguous one ("Luz Marina Zuluaga"); places whose name looks
  like a person's ("Santa Rosa de Cabal", "Don Matías", "María la Baja") and names after a saint's
  prefix or an institution ("Hospital San Juan de Dios", "barrio Simón Bolívar") are left;
- **handle**: ``@usuario`` of a social network.

The recall and false-positive figures on a labelled Spanish corpus are in docs/benchmarks.md
(``bench/personal_data.py``). The detector is cheap enough for the intake hot path (tens of
microseconds for a typical contribution): a contribution's masked text is stored with it when it
is submitted, so nothing is public before it is masked.
"""

from urna.core.privacy.common import KIND_LABELS, KINDS, PLACEHOLDERS, Finding
from urna.core.privacy.detector import (
    find_personal_data,
    mask_personal_data,
    personal_data_scan,
)

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "PLACEHOLDERS",
    "Finding",
    "find_personal_data",
    "mask_personal_data",
    "personal_data_scan",
]
