"""Publishing a dataset to a CKAN portal (datos.gov.co-style) through its Action API.

The package is created (``package_create``) or its metadata patched (``package_patch``, which
keeps the resources CKAN already holds), then each table's CSV and the ``datapackage.json`` are
uploaded: ``resource_update`` for a resource of the same name, ``resource_create`` otherwise.
Each CSV is streamed into a temporary file first (constant memory) and uploaded from it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from typing import Any

import ckanapi

from urna.opendata.datasets import Dataset, datapackage, license_info

# CKAN's default licence ids for the licences Urna knows.
CKAN_LICENSES = {
    "CC-BY-4.0": "cc-by",
    "CC-BY-SA-4.0": "cc-by-sa",
    "CC0-1.0": "cc-zero",
    "ODbL-1.0": "odc-odbl",
}


@dataclass
class CkanResult:
    package_id: str
    name: str
    created: bool
    resources_created: list[str] = field(default_factory=list)
    resources_updated: list[str] = field(default_factory=list)


def ckan_name(dataset: Dataset) -> str:
    """CKAN package names: 2-100 lower-case letters, digits, "-" and "_"."""
    return dataset.identifier.lower()[:100]


def package_metadata(dataset: Dataset, *, base_url: str, owner_org: str = "") -> dict[str, Any]:
    license_data = license_info()
    metadata: dict[str, Any] = {
        "name": ckan_name(dataset),
        "title": dataset.title[:250],
        "notes": dataset.description,
        "url": base_url.rstrip("/") + dataset.landing_path(),
        "license_id": CKAN_LICENSES.get(license_data["name"], "other-open"),
        "author": dataset.publisher,
        "maintainer": dataset.publisher,
        "tags": [{"name": _tag(k)} for k in dataset.keywords if _tag(k)],
        "extras": [
            {"key": "identifier", "value": dataset.identifier},
            {"key": "spatial_text", "value": dataset.spatial},
            {"key": "temporal", "value": dataset.temporal_text},
            {"key": "modified", "value": dataset.modified.isoformat()},
            {"key": "language", "value": "es-CO"},
        ],
    }
    if owner_org:
        metadata["owner_org"] = owner_org
    return metadata


def _tag(keyword: str) -> str:
    # CKAN tags allow letters, digits, spaces and - _ . (accents are fine).
    cleaned = "".join(ch for ch in keyword if ch.isalnum() or ch in " -_.").strip()
    return cleaned[:100]


def publish(
    dataset: Dataset,
    *,
    url: str,
    api_key: str,
    base_url: str,
    owner_org: str = "",
    ckan: Any = None,
) -> CkanResult:
    """Create or update the dataset's package on the CKAN portal at ``url``."""
    ckan = ckan or ckanapi.RemoteCKAN(url, apikey=api_key, user_agent="Urna open data")
    metadata = package_metadata(dataset, base_url=base_url, owner_org=owner_org)
    try:
        existing = ckan.action.package_show(id=metadata["name"])
    except ckanapi.NotFound:
        existing = None
    if existing is None:
        package = ckan.action.package_create(**metadata)
    else:
        package = ckan.action.package_patch(id=existing["id"], **metadata)
    result = CkanResult(package_id=package["id"], name=package["name"], created=existing is None)
    by_name = {r.get("name"): r["id"] for r in (existing or {}).get("resources", [])}

    def upload(name: str, *, description: str, fmt: str, mimetype: str, fill: Any) -> None:
        with tempfile.TemporaryFile() as handle:
            fill(handle)
            handle.seek(0)
            values = {
                "name": name,
                "description": description,
                "format": fmt,
                "mimetype": mimetype,
                "upload": (name, handle),
            }
            if name in by_name:
                ckan.action.resource_update(id=by_name[name], **values)
                result.resources_updated.append(name)
            else:
                ckan.action.resource_create(package_id=result.package_id, **values)
                result.resources_created.append(name)

    for table in dataset.tables:

        def write_table(handle: Any, table: Any = table) -> None:
            for chunk in table.csv(dataset.subject):
                handle.write(chunk)

        upload(
            f"{table.name}.csv",
            description=f"{table.title}. {table.description}",
            fmt="CSV",
            mimetype="text/csv",
            fill=write_table,
        )
    descriptor = json.dumps(datapackage(dataset, base_url=base_url), ensure_ascii=False)
    upload(
        "datapackage.json",
        description="Frictionless Data Package",
        fmt="JSON",
        mimetype="application/json",
        fill=lambda handle: handle.write(descriptor.encode("utf-8")),
    )
    return result
