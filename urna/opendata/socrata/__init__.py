"""Publishing open data to a Socrata portal (datos.gov.co runs on Socrata, now Tyler Data &
Insights), beside CKAN, with the same anonymised tables and metadata.

The client is ``socrata-py``, Socrata's own SDK for its Dataset Management API (DSMAPI), rather
than ``sodapy``:

- sodapy's package page declares it "UNMAINTAINED as of Aug 31, 2022" and sends writers who
  need Socrata's publishing workflow to socrata-py; its ``create`` (``POST /api/views``) carries
  the warning "This api endpoint might be deprecated". socrata-py is published by Socrata
  (1.2.0, 2026) and its tests run against live Socrata domains.
- DSMAPI is how Socrata's own publishing screens write today: a dataset changes only through
  a revision (``/api/publishing/v1/revision``), which carries the metadata and the uploaded
  file, is validated by the portal, and is applied as one job, so a failed upload never leaves
  a half-replaced dataset. The SODA producer endpoints sodapy uses write rows into a dataset
  that must already exist, with its columns made by hand.

Socrata datasets are single tables, so each table of an Urna dataset is one Socrata dataset;
``urna.opendata.models.SocrataDataset`` remembers each one's id, so publishing again replaces
the same datasets instead of creating new ones.
"""

from urna.opendata.socrata.errors import SocrataError
from urna.opendata.socrata.services import Portal, SocrataResult, portal_from_settings, publish

__all__ = ["Portal", "SocrataError", "SocrataResult", "portal_from_settings", "publish"]
