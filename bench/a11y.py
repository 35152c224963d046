"""Accessibility audit of every page in a real browser (axe-core, WCAG 2.1 A and AA).

Migrates and seeds a temporary SQLite database with the demo data (`manage.py seed_demo`), runs
gunicorn (sync workers, DEBUG off) on 127.0.0.1 and has bench/a11y.mjs load each page of PAGES
in headless Chromium, in Spanish and in English, at 360x640 and 1280x800: axe-core's WCAG 2.1 A
and AA rules, plus the checks axe cannot make (skip link, visible focus, no horizontal scroll at
360 px, no duplicate id). Prints the violations per page and writes docs/accessibility.md.
Exits 1 when any page has a violation. `make a11y` installs Chromium and the node packages first.

    .venv/bin/python bench/a11y.py                            # full run, writes the docs
    .venv/bin/python bench/a11y.py --base http://127.0.0.1:8000   # against a running `make run`
                                                              # (its database); docs untouched
    .venv/bin/python bench/a11y.py --only receipt             # pages whose name holds "receipt"
    .venv/bin/python bench/a11y.py --ci                       # CI: every page in Spanish at
                                                              # 360 px, CI_WIDE pages also at
                                                              # 1280 px and in English
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from common import CHROMIUM_ARGS, demo_server, machine, run, wait_up

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DOC = ROOT / "docs" / "accessibility.md"
FINDINGS = "## Findings and fixes"  # hand-written; kept when the script rewrites the file
MODULES = Path(os.environ.get("A11Y_NODE_DIR", ROOT / "var" / "a11y-node")).resolve()
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# CI (--ci) audits every page (so every template) in Spanish on the phone, where a layout breaks
# first; and a representative set (CI_WIDE: each layout — public, forms, tables, charts, the staff
# workspaces — with its longest texts) also at the desktop width and in English on the phone,
# where a longer text breaks a layout first. The full run does every page four times.
CI_EVERY_PAGE = [["es-co", "360x640"]]
CI_COMBINATIONS = [["es-co", "360x640"], ["es-co", "1280x800"], ["en", "360x640"]]
CI_WIDE = {
    "home",
    "exercise list, filtered",
    "exercise: draft regulation with articles",
    "exercise: results published",
    "contributions: search, filters, pages",
    "contribution with replies",
    "participation form, errors",
    "results",
    "receipt status: answered query",
    "query form, errors",
    "open data: exercise",
    "survey: form",
    "survey: results",
    "meeting: registration form",
    "deliberation",
    "indicators by department",
    "social accounts directory, filtered",
    "report: annual",
    "personal data: my data",
    "404",
    "staff dashboard",
    "staff: indicators dashboard",
    "staff: exercise edit",
    "staff: moderation",
    "staff: results matrix",
    "staff: analysis workspace",
    "staff: theme",
    "staff: survey margins",
    "staff: meeting held (minutes, attendance)",
    "staff: network, routing rules",
    "manager: query detail",
}
# Pages audited at once, each in its own tab (the demo server runs two workers).
TABS = 2

# Sessions for the staff and citizen pages, and the slugs, receipts and ids the pages need,
# read from (or, for the audit's own citizen account and operator session, added to) the seeded
# demo data.
FIXTURES_SNIPPET = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from urna.accounts.models import User
from urna.accounts.services import citizen_register
from urna.channels.models import OperatorSession
from urna.exercises.models import ClosedQuestion, Contribution, Exercise
from urna.insights.models import DuplicateGroup, Theme
from urna.queries.models import Query
from urna.contacts.models import Contact
from urna.deliberation.models import Deliberation
from urna.entities.models import Entity
from urna.surveys.models import Response, Survey
from urna.surveys.services import response_start
import time

def session(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

def rights_session(state):
    s = SessionStore()
    s["contact_rights"] = state
    s.create()
    return s.session_key

holder = Contact.objects.filter(phone__isnull=False, erased_at__isnull=True).first()
citizen = User.objects.filter(email="a11y@demo.urna.localhost").first() or citizen_register(
    password="a11y-audit-2026", email="a11y@demo.urna.localhost", phone="", consent=True
)
admin = User.objects.get(username="admin")
draft = Exercise.objects.filter(kind="draft_regulation", status="open", articles__isnull=False)
question = ClosedQuestion.objects.filter(exercise__status="open").select_related("exercise")
question = question.first()
results = Exercise.objects.filter(status="results").first()
contribution = Contribution.objects.filter(exercise=results).first()
theme = Theme.objects.filter(live=True).select_related("analysis__exercise").first()
operator = OperatorSession.objects.filter(operator=admin).first()
survey = Survey.objects.filter(published=True).exclude(status="draft").first()
# A web response of the audit's own, at its first question (partial: never in the results).
answer = Response.objects.filter(survey=survey, channel="web", status="partial").first()
answer = answer or response_start(survey=survey, channel="web", language="es")
if operator is None:
    operator = OperatorSession.objects.create(
        exercise=draft.first(), channel="radio", programme="Auditoría", operator=admin,
        date=timezone.localdate(),
    )
print("FIXTURES" + json.dumps({
    "language_cookie": settings.LANGUAGE_COOKIE_NAME,
    "sessions": {
        "staff": session(admin),
        "manager": session(User.objects.get(username="gestor.agricultura")),
        "citizen": session(citizen),
        # /datos-personales/: a code sent (pending), and an address proven (verified).
        "rights_code": rights_session({"address": holder.phone, "nonce": "a11y",
                                       "expires": time.time() + 3600, "attempts": 0}),
        "rights": rights_session({"contact": holder.pk, "until": time.time() + 3600}),
    },
    "draft": draft.first().slug,
    "thread": [(c.exercise.slug, c.pk) for c in Contribution.objects.filter(
        reply_count__gt=0, parent__isnull=True).select_related("exercise")[:1]],
    "question": question.exercise.slug,
    "results": results.slug,
    "other": [e.slug for e in Exercise.objects.exclude(status="draft").exclude(
        slug__in=[draft.first().slug, question.exercise.slug, results.slug])],
    "contribution": contribution.receipt,
    "query": Query.objects.filter(state="assigned", entity__acronym="MINAGRICULTURA").first().pk,
    "query_receipt": Query.objects.filter(state="assigned").first().receipt,
    "answered_receipt": (Query.objects.filter(answered_at__isnull=False).first()
                         or Query.objects.first()).receipt,
    "awaiting": getattr(Query.objects.filter(state="awaiting_citizen").first(), "receipt", None),
    "qa": getattr(Query.objects.filter(published_at__isnull=False).first(), "pk", None),
    "analysis": theme.analysis.exercise.slug,
    "theme": theme.pk,
    "group": DuplicateGroup.objects.filter(analysis=theme.analysis).first().pk,
    "operator": operator.pk,
    "year": timezone.localdate().year,
    "survey": survey.slug,
    "survey_pk": survey.pk,
    "survey_answer": answer.token,
    "deliberation": Deliberation.objects.select_related("exercise").first().exercise.slug,
    "manizales": Entity.objects.get(acronym="ALC-17001").pk,
}))
"""


def pages(f: dict) -> list[dict]:
    """The audited pages: every public page, its error answers, and the staff workspaces."""
    draft, question, results = f["draft"], f["question"], f["results"]
    public = [
        ("home", "/"),
        ("exercise list", "/ejercicios/"),
        ("exercise list, filtered", "/ejercicios/?estado=open&tema=&departamento="),
        ("exercise: draft regulation with articles", f"/ejercicios/{draft}/"),
        ("exercise: closed questions", f"/ejercicios/{question}/"),
        ("exercise: results published", f"/ejercicios/{results}/"),
        *[(f"exercise: {slug}", f"/ejercicios/{slug}/") for slug in f["other"]],
        ("contributions: search, filters, pages", f"/ejercicios/{draft}/aportes/?q=articulo"),
        ("contributions: most commented", f"/ejercicios/{results}/aportes/?orden=comentarios"),
        *[
            ("contribution with replies", f"/ejercicios/{slug}/aportes/{pk}/")
            for slug, pk in f["thread"]
        ],
        ("participation form", f"/ejercicios/{draft}/participar/"),
        ("results", f"/ejercicios/{results}/resultados/"),
        ("confirmation (thanks)", f"/ejercicios/{results}/gracias/{f['contribution']}/"),
        ("receipt status: contribution", f"/r/{f['contribution']}"),
        ("receipt status: query", f"/r/{f['query_receipt']}"),
        ("receipt status: answered query", f"/r/{f['answered_receipt']}"),
        ("receipt lookup", "/r/?codigo="),
        ("receipt not found", "/r/UC-2026-NOEXISTE"),
        ("personal data rights", "/datos-personales/"),
        ("accessibility statement", "/accesibilidad/"),
        ("data-processing policy", "/politica-de-datos/"),
        ("query form", "/consultas/nueva/"),
        ("published answers", "/consultas/respuestas/"),
        ("open data", "/datos/"),
        ("open data: PQRSD", "/datos/pqrsd/"),
        ("open data: exercise", f"/datos/ejercicios/{results}/"),
        ("open data: survey", f"/datos/encuestas/{f['survey']}/"),
        ("surveys", "/encuestas/"),
        ("survey: start", f"/encuestas/{f['survey']}/"),
        ("survey: form", f"/encuestas/responder/{f['survey_answer']}/"),
        ("survey: results", f"/encuestas/{f['survey']}/resultados/"),
        ("meetings", "/encuentros/"),
        ("meetings: past", "/encuentros/?cuando=pasados"),
        ("meeting: registration form", "/encuentros/taller-pacto-agrario-manizales/"),
        ("meeting: past, with minutes", "/encuentros/encuentro-pacto-agrario-chinchina/"),
        (
            "meeting: registration",
            "/encuentros/taller-pacto-agrario-manizales/inscripcion/EN-DEMO-1000000/",
        ),
        ("meeting: cancel a registration", "/encuentros/cancelar/"),
        ("exercise: what changes for you", "/ejercicios/pacto-agrario/que-cambia/"),
        ("deliberation", f"/ejercicios/{f['deliberation']}/deliberacion/"),
        ("deliberation: vote", f"/ejercicios/{f['deliberation']}/deliberacion/votar/"),
        ("deliberation: propose", f"/ejercicios/{f['deliberation']}/deliberacion/proponer/"),
        ("indicators", "/indicadores/"),
        ("indicators by department", "/indicadores/?departamento=17"),
        ("social accounts directory", "/redes-oficiales/"),
        (
            "social accounts directory, filtered",
            "/redes-oficiales/?q=caldas&red=&nivel=&departamento=&entidad=",
        ),
        (
            "social accounts check: official",
            "/redes-oficiales/verificar/?cuenta=x.com/presidencia_dm",
        ),
        ("social accounts check: unknown", "/redes-oficiales/verificar/?cuenta=x.com/noexiste"),
        ("reports", "/informes/"),
        ("report: exercise", f"/informes/{results}/"),
        ("report: annual", f"/informes/anual/{f['year']}/"),
        ("login", "/cuenta/entrar/"),
        ("signup", "/cuenta/registro/"),
        ("404", "/no-existe/"),
        ("400 (NUL in the query string)", "/ejercicios/?estado=%00"),
    ]
    if f["qa"]:
        public.append(("published answer", f"/consultas/respuestas/{f['qa']}/"))
    if f["awaiting"]:
        public.append(("receipt status: query awaiting the citizen", f"/r/{f['awaiting']}"))
    form = "main form[method=post]"
    submitted = [
        ("participation form, errors", f"/ejercicios/{draft}/participar/", form),
        ("closed question, errors", f"/ejercicios/{question}/", "form[action*='/preguntas/']"),
        ("query form, errors", "/consultas/nueva/", form),
        ("login, errors", "/cuenta/entrar/", form),
        ("signup, errors", "/cuenta/registro/", form),
        (
            "deliberation: propose, errors",
            f"/ejercicios/{f['deliberation']}/deliberacion/proponer/",
            form,
        ),
    ]
    slug = f["analysis"]
    staff = [
        ("staff dashboard", "/staff/"),
        ("staff: indicators dashboard", "/indicadores/gestion/"),
        ("staff: indicator goals", "/indicadores/gestion/metas/"),
        ("staff: manual indicators", "/indicadores/gestion/manuales/"),
        ("staff: social accounts", "/redes-oficiales/equipo/"),
        ("staff: social accounts import", "/redes-oficiales/equipo/importar/"),
        ("staff: social accounts advice", "/redes-oficiales/equipo/consejos/"),
        ("staff: exercises", "/ejercicios/gestion/"),
        ("staff: meetings", "/encuentros/gestion/"),
        ("staff: new meeting", "/encuentros/gestion/nuevo/"),
        (
            "staff: meeting held (minutes, attendance)",
            "/encuentros/gestion/encuentro-pacto-agrario-chinchina/",
        ),
        ("staff: what changes for you", "/ejercicios/gestion/pacto-agrario/que-cambia/"),
        ("staff: new exercise", "/ejercicios/gestion/nuevo/"),
        ("staff: exercise edit", f"/ejercicios/gestion/{draft}/"),
        ("staff: moderation", f"/ejercicios/gestion/{draft}/moderacion/"),
        ("staff: deliberation", f"/ejercicios/gestion/{f['deliberation']}/deliberacion/"),
        ("staff: results matrix", f"/matriz/{results}/"),
        ("staff: queries inbox", "/consultas/gestion/"),
        ("staff: query triage", "/consultas/gestion/clasificacion/"),
        ("staff: query SLA board", "/consultas/gestion/indicadores/"),
        ("staff: answer templates", "/consultas/gestion/plantillas/"),
        ("staff: analysis list", "/analisis/"),
        ("staff: analysis workspace", f"/analisis/{slug}/"),
        ("staff: unclassified", f"/analisis/{slug}/sin-clasificar/"),
        ("staff: moderation flags", f"/analisis/{slug}/alertas/"),
        ("staff: theme", f"/analisis/{slug}/temas/{f['theme']}/"),
        ("staff: campaign group", f"/analisis/{slug}/grupos/{f['group']}/"),
        ("staff: open data settings", "/datos/gestion/"),
        ("staff: surveys", "/encuestas/equipo/"),
        ("staff: new survey", "/encuestas/equipo/nueva/"),
        ("staff: survey", f"/encuestas/equipo/{f['survey_pk']}/"),
        ("staff: survey margins", f"/encuestas/equipo/{f['survey_pk']}/margenes/"),
        ("staff: survey texts", f"/encuestas/equipo/{f['survey_pk']}/textos/?idioma=en"),
        ("staff: survey quotas", f"/encuestas/equipo/{f['survey_pk']}/cuotas/"),
        ("staff: survey invitation", f"/encuestas/equipo/{f['survey_pk']}/invitar/"),
        ("staff: reports", "/informes/gestion/"),
        ("staff: report takeaways", f"/informes/gestion/{results}/"),
        ("staff: operator console", "/channels/consola/"),
        ("staff: console entry", f"/channels/consola/{f['operator']}/"),
        ("staff: inbound messages", "/channels/gestion/mensajes/"),
        ("staff: social posts", "/channels/gestion/publicaciones/"),
        ("staff: API tokens", "/cuenta/tokens-api/"),
        ("staff: response network", "/red/"),
        ("staff: network, new entity", "/red/entidades/nueva/"),
        ("staff: network, territorial offices", "/red/oficinas/"),
        ("staff: network, entity", f"/red/entidades/{f['manizales']}/"),
        ("staff: network, entity edit", f"/red/entidades/{f['manizales']}/editar/"),
        ("staff: network, team and roles", f"/red/entidades/{f['manizales']}/equipo/"),
        ("staff: network, routing rules", f"/red/entidades/{f['manizales']}/reglas/"),
        ("staff: network, terms and days", f"/red/entidades/{f['manizales']}/plazos/"),
        ("staff: network, answer templates", f"/red/entidades/{f['manizales']}/plantillas/"),
        ("staff: network, shared templates", "/red/plantillas-comunes/"),
    ]
    manager = [
        ("manager: queries inbox", "/consultas/gestion/"),
        ("manager: query detail", f"/consultas/gestion/{f['query']}/"),
    ]
    return [
        *({"name": n, "path": p} for n, p in public),
        *({"name": n, "path": p, "submit": s} for n, p, s in submitted),
        {"name": "citizen: my data", "path": "/cuenta/mis-datos/", "as": "citizen"},
        {"name": "citizen: my contributions", "path": "/ejercicios/mis-aportes/", "as": "citizen"},
        {"name": "personal data: code", "path": "/datos-personales/codigo/", "as": "rights_code"},
        {"name": "personal data: my data", "path": "/datos-personales/mis-datos/", "as": "rights"},
        *({"name": n, "path": p, "as": "staff"} for n, p in staff),
        *({"name": n, "path": p, "as": "manager"} for n, p in manager),
    ]


def fixtures(env: dict) -> dict:
    out = run([PY, "manage.py", "shell", "-c", FIXTURES_SNIPPET], env, stdout=subprocess.PIPE)
    return json.loads(out.stdout.split("FIXTURES", 1)[1])


def audit(base: str, fix: dict, workdir: Path, only: str | None, ci: bool = False) -> dict:
    spec = {
        "base": base,
        "modules": str(MODULES),
        "chromium": CHROMIUM,
        "chromium_args": CHROMIUM_ARGS,
        "language_cookie": fix["language_cookie"],
        "sessions": fix["sessions"],
        "pages": [p for p in pages(fix) if not only or only in p["name"]],
        "tabs": TABS,
    }
    combinations = "2 languages x 2 viewports"
    if ci:
        missing = CI_WIDE - {p["name"] for p in pages(fix)}
        if missing:
            raise SystemExit(f"CI_WIDE names pages that are not audited: {sorted(missing)}")
        spec["combinations"] = CI_COMBINATIONS
        for page in spec["pages"]:
            if page["name"] not in CI_WIDE:
                page["combinations"] = CI_EVERY_PAGE
        wide = sum(1 for page in spec["pages"] if page["name"] in CI_WIDE)
        combinations = (
            "es-co at 360x640; "
            + ", ".join(f"{language} at {size}" for language, size in CI_COMBINATIONS[1:])
            + f" for {wide} of them"
        )
    (workdir / "input.json").write_text(json.dumps(spec))
    print(f"== axe-core on {len(spec['pages'])} pages x {combinations}", flush=True)
    subprocess.run(
        ["node", str(ROOT / "bench" / "a11y.mjs"), workdir / "input.json", workdir / "out.json"],
        check=True,
    )
    report = json.loads((workdir / "out.json").read_text())
    report["pages"] = spec["pages"]
    report["language_cookie"] = spec["language_cookie"]
    return report


def summary(report: dict) -> dict[str, dict]:
    """Per rule: the pages it fails on and its count of failing elements over all runs."""
    rules: dict[str, dict] = defaultdict(lambda: {"pages": set(), "nodes": 0, "help": ""})
    for r in report["runs"]:
        for v in r["violations"]:
            rule = rules[v["id"]]
            rule["pages"].add(r["page"])
            rule["nodes"] += len(v["nodes"])
            rule["help"] = v["help"]
        for k in r["keyboard"]:
            rule = rules[k["id"]]
            rule["pages"].add(r["page"])
            rule["nodes"] += 1
            rule["help"] = k["id"].removeprefix("kbd-").replace("-", " ")
        if r.get("error"):
            rules["audit-error"]["pages"].add(r["page"])
            rules["audit-error"]["nodes"] += 1
            rules["audit-error"]["help"] = "the page could not be audited"
    return dict(rules)


def write_docs(report: dict, rules: dict) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    runs = report["runs"]
    clean = sum(1 for r in runs if not r["violations"] and not r["keyboard"])
    lines = [
        "# Accessibility",
        "",
        "Target: WCAG 2.1 AA on every page, without JavaScript, on a small phone screen. "
        "`make a11y` (not part of `make test`: it needs a browser) audits every page with "
        "`bench/a11y.py` and rewrites this file. Cheap checks that need no browser (a label "
        "for every form field, `<html lang>` per language, the skip link) are tests under "
        "each app's `tests/`.",
        "",
        f"Run {now} on {machine()}; Chromium {report['browser']} (headless, Debian package), "
        f"axe-core {report['axe']} with the tags {', '.join(report['tags'])}. Demo data "
        "(`seed_demo`) in a temporary SQLite database, gunicorn with DEBUG off.",
        "",
        f"Each page is audited in Spanish and in English (the `{report['language_cookie']}` "
        "cookie) at "
        "360x640 and 1280x800: axe-core's rules, and three keyboard checks axe cannot make: "
        "the first tab stop is a skip link that shows when focused, the first tab stops show a "
        "focus style (outline or box shadow), and at 360 px the page does not scroll sideways "
        "(`scrollWidth` ≤ 361); and no `id` is used twice in the DOM (`duplicate-id`: "
        "axe-core's WCAG tags no longer check it). Pages marked *posted* are the answer to "
        "their form sent empty "
        "or wrong (browser validation off), i.e. the form with its errors.",
        "",
        f"**Result: {clean} of {len(runs)} page runs clean"
        + (", no violations.**" if not rules else f"; {len(rules)} rules failing.**"),
        "",
    ]
    if rules:
        lines += ["| rule | elements | pages |", "|---|---|---|"]
        for rule_id, rule in sorted(rules.items()):
            pages_list = ", ".join(sorted(rule["pages"]))
            lines.append(f"| `{rule_id}` ({rule['help']}) | {rule['nodes']} | {pages_list} |")
        lines.append("")
    lines += ["## Pages audited", "", "| page | path | as |", "|---|---|---|"]
    for p in report["pages"]:
        who = p.get("as", "visitor") + (", posted" if p.get("submit") else "")
        who = who.replace("anon", "visitor")
        lines.append(f"| {p['name']} | `{p['path']}` | {who} |")
    kept = DOC.read_text().partition(f"\n{FINDINGS}")[2] if DOC.exists() else ""
    if kept:
        lines += ["", FINDINGS + kept.rstrip("\n")]
    DOC.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", help="audit this running server instead; docs untouched")
    parser.add_argument("--only", help="audit only the pages whose name holds this; docs untouched")
    parser.add_argument(
        "--ci", action="store_true", help="every page, fewer combinations; docs untouched"
    )
    args = parser.parse_args()
    if not (MODULES / "node_modules" / "axe-core").is_dir():
        raise SystemExit(f"node packages missing in {MODULES}: run `make a11y`")
    workdir = Path(tempfile.mkdtemp(prefix="urna-a11y-"))
    try:
        if args.base:
            base = args.base.rstrip("/")
            env = {**os.environ, "DEBUG": "false"}
            env.pop("REDIS_URL", None)
            wait_up(base)
            report = audit(base, fixtures(env), workdir, args.only, args.ci)
        else:
            print("== migrate and seed the demo data", flush=True)
            with demo_server("urna-a11y-site-") as (base, env):
                report = audit(base, fixtures(env), workdir, args.only, args.ci)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rules = summary(report)
    print(f"\n== axe-core {report['axe']}, Chromium {report['browser']}")
    for rule_id, rule in sorted(rules.items()):
        print(f"{rule_id}: {rule['nodes']} elements on {', '.join(sorted(rule['pages']))}")
    if not rules:
        print("no violations")
    if not args.base and not args.only and not args.ci:
        write_docs(report, rules)
    sys.exit(1 if rules else 0)


if __name__ == "__main__":
    main()
