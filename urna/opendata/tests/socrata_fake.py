"""A fake Socrata portal at the HTTP boundary: the Dataset Management API as socrata-py 1.2 calls
it, keeping what it was sent so tests can read it back.

Every answer is the DSMAPI envelope ``{"resource": {...}, "links": {...}}``; socrata-py follows
the ``links`` (the paths are the portal's to choose) and reads the resource fields kept here:
a revision's ``fourfour``/``revision_seq``/``action``/``metadata``, a source's ``schemas`` with
their ``input_columns`` and ``output_schemas``, an output schema's ``output_columns`` (each with
its ``transform``), ``error_count``, ``completed_at``/``finished_at``, and a job's ``status`` and
``finished_at``. Field values are modelled on the published DSMAPI examples (Socrata's own
platform-ui fixtures and the Socrata.DSMAPI C# SDK's models). Uploads go in chunks after
``initiate`` answers ``preferred_chunk_size``/``preferred_upload_parallelism``; the chunk size
is small here so that every table arrives in several chunks, sent in parallel.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import responses

DOMAIN = "datos.example.gov.co"
BASE = f"https://{DOMAIN}"
V1 = "/api/publishing/v1"
NOW = "2026-03-01T15:04:05.123456"
USER = {"user_id": "urna-0001", "display_name": "Urna", "email": "datos@example.gov.co"}


@dataclass
class Upload:
    source_id: int
    fourfour: str
    revision_seq: int
    filename: str
    chunks: dict[int, bytes] = field(default_factory=dict)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks[k] for k in sorted(self.chunks))


class FakeSocrata:
    chunk_size = 512
    parallelism = 2

    def __init__(self, rsps: responses.RequestsMock) -> None:
        self.rsps = rsps
        self.lock = threading.Lock()
        self.views: dict[str, int] = {}  # fourfour -> last revision_seq
        self.created = 0
        self.revisions: dict[tuple[str, int], dict[str, Any]] = {}
        self.uploads: dict[int, Upload] = {}
        self.transforms: dict[int, dict[str, Any]] = {}  # source id -> desired schema posted
        self.applied: list[tuple[str, int, int]] = []  # fourfour, seq, output schema id
        self.discarded: list[tuple[str, int]] = []
        self.job_polls = 0
        self.fail: dict[str, tuple[int, Any]] = {}  # step -> (status, body)
        self.error_count = 0
        self.approval = False
        self.next_id = 100
        self._register(rsps)

    # --- what tests read ---

    def upload_for(self, fourfour: str) -> Upload:
        return next(u for u in self.uploads.values() if u.fourfour == fourfour)

    def revision_bodies(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.revisions.values()]

    # --- routing ---

    def _register(self, rsps: responses.RequestsMock) -> None:
        routes = [
            ("POST", rf"{V1}/revision", self.new_revision),
            ("POST", rf"{V1}/revision/(?P<ff>\w{{4}}-\w{{4}})", self.replace_revision),
            ("GET", rf"{V1}/revision/(?P<ff>\w{{4}}-\w{{4}})/(?P<seq>\d+)", self.show_revision),
            ("DELETE", rf"{V1}/revision/(?P<ff>\w{{4}}-\w{{4}})/(?P<seq>\d+)", self.discard),
            ("POST", rf"{V1}/revision/(?P<ff>\w{{4}}-\w{{4}})/(?P<seq>\d+)/source", self.source),
            ("PUT", rf"{V1}/revision/(?P<ff>\w{{4}}-\w{{4}})/(?P<seq>\d+)/apply", self.apply),
            ("GET", rf"{V1}/job/(?P<job>\d+)", self.show_job),
            ("POST", rf"{V1}/source/(?P<id>\d+)/initiate", self.initiate),
            ("POST", rf"{V1}/source/(?P<id>\d+)/chunk/(?P<seq>\d+)/(?P<off>\d+)", self.chunk),
            ("POST", rf"{V1}/source/(?P<id>\d+)/commit/(?P<seq>\d+)/(?P<off>\d+)", self.commit),
            ("GET", rf"{V1}/source/(?P<id>\d+)", self.show_source),
            ("POST", rf"{V1}/source/(?P<id>\d+)/schema/(?P<schema>\d+)", self.transform),
        ]
        for method, path, handler in routes:
            pattern = re.compile(rf"{re.escape(BASE)}{path}(\?.*)?$")
            rsps.add_callback(
                method,
                pattern,
                callback=self._wrap(handler, pattern),
                content_type="application/json",
            )

    def _wrap(self, handler, pattern):
        def callback(request):
            with self.lock:
                if handler.__name__ in self.fail:
                    status, body = self.fail[handler.__name__]
                else:
                    status, body = handler(request, **pattern.match(request.url).groupdict())
            return status, {}, json.dumps(body)

        return callback

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    # --- revisions ---

    def new_revision(self, request):
        body = json.loads(request.body)
        self.created += 1
        fourfour = f"urna-{self.created:04d}"
        self.views[fourfour] = 0
        return 201, self._revision(fourfour, 0, body)

    def replace_revision(self, request, ff):
        if ff not in self.views:
            return 404, {"message": f"View {ff} not found", "key": "not_found", "params": {}}
        body = json.loads(request.body)
        self.views[ff] += 1
        return 201, self._revision(ff, self.views[ff], body)

    def _revision(self, fourfour: str, seq: int, body: dict[str, Any]) -> dict[str, Any]:
        resource = {
            "id": self._id(),
            "fourfour": fourfour,
            "revision_seq": seq,
            "action": {
                "type": body["action"]["type"],
                "permission": body["action"].get("permission"),
            },
            "metadata": body.get("metadata") or {},
            "output_schema_id": None,
            "task_sets": [],
            "closed_at": None,
            "created_at": NOW,
            "created_by": USER,
            "creation_source": "socrata-py",
            "domain_id": 1,
            "attachments": [],
            "href": [],
        }
        self.revisions[(fourfour, seq)] = {"resource": resource, "body": body}
        return {"resource": resource, "links": self._revision_links(fourfour, seq)}

    def _revision_links(self, fourfour: str, seq: int) -> dict[str, str]:
        base = f"{V1}/revision/{fourfour}/{seq}"
        return {
            "show": base,
            "update": base,
            "discard": base,
            "plan": f"{base}/plan",
            "list_sources": f"{base}/source",
            "create_source": f"{base}/source",
            "apply": f"{base}/apply",
        }

    def show_revision(self, request, ff, seq):
        revision = self.revisions[(ff, int(seq))]["resource"]
        return 200, {"resource": revision, "links": self._revision_links(ff, int(seq))}

    def discard(self, request, ff, seq):
        self.discarded.append((ff, int(seq)))
        revision = self.revisions[(ff, int(seq))]["resource"]
        revision["closed_at"] = NOW
        return 200, {"resource": revision, "links": self._revision_links(ff, int(seq))}

    # --- sources and uploads ---

    def source(self, request, ff, seq):
        body = json.loads(request.body)
        upload = Upload(self._id(), ff, int(seq), body["source_type"]["filename"])
        self.uploads[upload.source_id] = upload
        return 201, self._source(upload, body.get("parse_options") or {})

    def _source(self, upload: Upload, parse_options: dict[str, Any] | None = None) -> dict:
        committed = bool(upload.chunks)
        resource = {
            "id": upload.source_id,
            "source_type": {"type": "upload", "filename": upload.filename},
            "parse_options": {"parse_source": True, **(parse_options or {})},
            "content_type": "text/csv" if committed else None,
            "filesize": len(upload.body),
            "schemas": [self._input_schema(upload)] if committed else [],
            "finished_at": NOW if committed else None,
            "failed_at": None,
            "failure_details": None,
            "created_at": NOW,
            "created_by": USER,
        }
        base = f"{V1}/source/{upload.source_id}"
        schema = f"{base}/schema/{{input_schema_id}}"
        links = {
            "show": base,
            "bytes": base,
            "update": base,
            "add_to_revision": base,
            "initiate": f"{base}/initiate",
            "chunk": f"{base}/chunk/{{seq_num}}/{{byte_offset}}",
            "commit": f"{base}/commit/{{seq_num}}/{{byte_offset}}",
            "input_schema_links": {
                "show": schema,
                "transform": schema,
                "latest_output": f"{schema}/output/latest",
                "output_schema_links": {
                    "show": f"{schema}/output/{{output_schema_id}}",
                    "rows": f"{schema}/rows/{{output_schema_id}}",
                    "schema_errors": f"{schema}/errors/{{output_schema_id}}",
                },
            },
        }
        return {"resource": resource, "links": links}

    def initiate(self, request, id):
        assert json.loads(request.body) == {"content_type": "text/csv"}
        return 200, {
            "preferred_chunk_size": self.chunk_size,
            "preferred_upload_parallelism": self.parallelism,
        }

    def chunk(self, request, id, seq, off):
        self.uploads[int(id)].chunks[int(seq)] = request.body
        return 200, {"seq_num": int(seq), "byte_offset": int(off)}

    def commit(self, request, id, seq, off):
        assert int(off) == len(self.uploads[int(id)].body)
        return 200, {}

    def show_source(self, request, id):
        return 200, self._source(self.uploads[int(id)])

    def _header(self, upload: Upload) -> list[str]:
        return next(csv.reader(io.StringIO(upload.body.decode("utf-8"))))

    def _input_schema(self, upload: Upload) -> dict[str, Any]:
        schema_id = upload.source_id * 10
        rows = list(csv.reader(io.StringIO(upload.body.decode("utf-8"))))[1:]
        columns = []
        for position, name in enumerate(self._header(upload)):
            values = [row[position] for row in rows if row[position]]
            guessed = "number" if values and all(v.isdigit() for v in values) else "text"
            columns.append((position, name, guessed))
        return {
            "id": schema_id,
            "name": None,
            "total_rows": len(rows),
            "num_row_errors": 0,
            "input_columns": [
                {
                    "id": schema_id * 100 + p,
                    "field_name": n,
                    "position": p,
                    "soql_type": "text",
                    "guessed_soql_type": g,
                    "guessed_subtypes": [],
                    "input_schema_id": schema_id,
                }
                for p, n, g in columns
            ],
            "output_schemas": [self._output_schema(schema_id, columns)],
            "created_at": NOW,
            "created_by": USER,
        }

    def _output_schema(self, schema_id: int, columns: list) -> dict[str, Any]:
        # What the portal guesses: a column of digits becomes a number.
        return {
            "id": schema_id + 1,
            "input_schema_id": schema_id,
            "output_columns": [
                {
                    "id": schema_id * 100 + 50 + p,
                    "field_name": n,
                    "display_name": n,
                    "description": "",
                    "position": p,
                    "is_primary_key": False,
                    "transform": {
                        "id": schema_id * 100 + 80 + p,
                        "transform_expr": f"to_number(`{n}`)" if g == "number" else f"`{n}`",
                        "output_soql_type": g,
                        "transform_input_columns": [{"input_column_id": schema_id * 100 + p}],
                        "completed_at": NOW,
                        "failed_at": None,
                    },
                }
                for p, n, g in columns
            ],
            "sort_bys": [],
            "error_count": 0,
            "created_at": NOW,
            "created_by": USER,
            "completed_at": NOW,
            "finished_at": NOW,
        }

    def transform(self, request, id, schema):
        desired = json.loads(request.body)
        self.transforms[int(id)] = desired
        output = {
            "id": self._id(),
            "input_schema_id": int(schema),
            "output_columns": desired["output_columns"],
            "sort_bys": desired["sort_bys"],
            "error_count": self.error_count,
            "created_at": NOW,
            "created_by": USER,
            "completed_at": NOW,
            "finished_at": NOW,
        }
        links = {"show": f"{V1}/source/{id}/schema/{schema}/output/{output['id']}"}
        return 201, {"resource": output, "links": links}

    # --- apply and its job ---

    def apply(self, request, ff, seq):
        output_schema_id = json.loads(request.body)["output_schema_id"]
        self.applied.append((ff, int(seq), output_schema_id))
        job = {
            "id": self._id(),
            "fourfour": ff,
            "revision_seq": int(seq),
            "output_schema_id": output_schema_id,
            "status": "initializing",
            "created_at": NOW,
            "finished_at": None,
            "log": [],
        }
        if self.approval:
            job.update(status="successful", key="approval_submitted", finished_at=NOW)
        return 200, {"resource": job, "links": {"show": f"{V1}/job/{job['id']}"}}

    def show_job(self, request, job):
        # The job is still running the first time it is asked about, done the second.
        self.job_polls += 1
        done = self.job_polls % 2 == 0
        resource = {
            "id": int(job),
            "status": "successful" if done else "in_progress",
            "finished_at": NOW if done else None,
            "created_at": NOW,
            "log": [{"stage": "finished", "time": NOW}] if done else [],
        }
        return 200, {"resource": resource, "links": {"show": f"{V1}/job/{job}"}}
