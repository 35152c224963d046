"""CSV imports of accounts and figures: every bad row reported with its reason, nothing dropped
silently, and importing the same file again changes nothing."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from urna.audit.models import AuditEntry
from urna.core.errors import InvalidInput, PermissionDenied
from urna.socialaccounts.imports import rejection_rows, social_import_run
from urna.socialaccounts.models import SocialAccount, SocialFigure, SocialImport

ACCOUNTS_CSV = """Entidad;Red;Cuenta;URL;Nombre;Verificada;Estado
MINAGRICULTURA;Facebook;;https://www.facebook.com/MinAgricultura/;Cuenta del Ministerio;sí;activa
MINAGRICULTURA;Twitter;@MinAgricultura;;;no;
MINEDUCACION;x;mineducacion;https://x.com/MinEducacion;;;
;;;;;;
NOEXISTE;x;cualquiera;;;;
MINAGRICULTURA;Myspace;agro;;;;
MINAGRICULTURA;instagram;agro;https://facebook.com/agro;;;
MINAGRICULTURA;instagram;agro;https://instagram.com/otra;;;
MINAGRICULTURA;x;minagricultura;;;;
MINAGRICULTURA;youtube;;;;;
MINAGRICULTURA;tiktok;agro;;;talvez;
MINAGRICULTURA;tiktok;agro;;;;perdida
"""
FIGURES_CSV = """red,cuenta,url,fecha,seguidores,publicaciones
facebook,minagricultura,,2025-01-31,"1.200",14
x,,https://twitter.com/MinAgricultura,31/01/2025,800,
facebook,minagricultura,,2025-02-28,1300,0
facebook,minagricultura,,2025-02-28,1350,2
x,minagricultura,,2025-13-01,10,1
x,minagricultura,,2025-03-31,-5,1
x,minagricultura,,2025-04-30,mil,1
x,minagricultura,,2025-05-31,900,-1
x,desconocida,,2025-01-31,10,1
facebook,minagricultura,https://facebook.com/otra,2025-03-31,10,1
"""


def run(user, text, kind, name="archivo.csv"):
    return social_import_run(by=user, upload=io.BytesIO(text.encode("utf-8")), name=name, kind=kind)


def reasons(social_import):
    return {r.row_number: r.reason for r in social_import.rejections.all()}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_accounts_import_with_bad_rows_reported_and_reimport_changes_nothing(
    platform_admin, agriculture, education, media
):
    first = run(platform_admin, ACCOUNTS_CSV, "accounts")

    assert (first.created, first.updated, first.unchanged, first.rejected) == (3, 0, 0, 9)
    assert reasons(first) == {
        5: "fila vacía",
        6: "sigla de entidad desconocida",
        7: "red social desconocida",
        8: "la dirección no es de Instagram",
        9: "la dirección del perfil no corresponde a la cuenta @agro",
        10: "duplicada: la cuenta ya está en una fila anterior del archivo",
        11: "escriba el nombre de la cuenta o una dirección de perfil de la red",
        12: "verificada: escriba sí o no",
        13: "estado no válido (activa, inactiva, cerrada o en revisión)",
    }
    fb = SocialAccount.objects.get(network="facebook")
    assert (fb.handle, fb.entity, fb.verified, fb.name) == (
        "minagricultura",
        agriculture,
        True,
        "Cuenta del Ministerio",
    )
    x = SocialAccount.objects.get(network="x", handle="minagricultura")
    assert x.profile_url == "https://x.com/minagricultura" and not x.verified
    assert SocialAccount.objects.get(handle="mineducacion").entity == education
    assert not list(media.rglob("*.csv"))  # the stored file is removed after the run
    audited = AuditEntry.objects.filter(action="socialaccount.create").count()

    again = run(platform_admin, ACCOUNTS_CSV, "accounts")

    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 9)
    assert SocialAccount.objects.count() == 3
    assert AuditEntry.objects.filter(action__startswith="socialaccount.").count() == audited
    assert AuditEntry.objects.filter(action="socialimport.accounts").count() == 2


def test_a_changed_row_updates_the_account(platform_admin, agriculture):
    run(platform_admin, "entidad,red,cuenta\nMINAGRICULTURA,x,agro\n", "accounts")

    second = run(
        platform_admin, "entidad,red,cuenta,estado\nMINAGRICULTURA,x,agro,cerrada\n", "accounts"
    )

    assert (second.created, second.updated, second.unchanged) == (0, 1, 0)
    account = SocialAccount.objects.get()
    assert account.status == "closed" and account.closed_on is not None


def test_the_rejections_report_keeps_each_rows_values(platform_admin, national_entities):
    social_import = run(
        platform_admin, "entidad,red,cuenta\nNOEXISTE,x,a\n=HYPERLINK(1),x,b\n", "accounts"
    )

    assert list(rejection_rows(social_import)) == [
        ["fila", "motivo", "entidad", "red", "cuenta"],
        ["2", "sigla de entidad desconocida", "NOEXISTE", "x", "a"],
        ["3", "sigla de entidad desconocida", "=HYPERLINK(1)", "x", "b"],
    ]


def test_entity_staff_import_only_their_entitys_accounts(agri_admin, agriculture, education):
    social_import = run(
        agri_admin,
        "entidad,red,cuenta\nMINAGRICULTURA,x,agro\nMINEDUCACION,x,edu\n",
        "accounts",
    )

    assert (social_import.created, social_import.rejected) == (1, 1)
    assert reasons(social_import) == {3: "sin permiso sobre la entidad de la cuenta"}
    assert list(SocialAccount.objects.values_list("handle", flat=True)) == ["agro"]


def test_figures_import_with_bad_rows_reported_and_reimport_changes_nothing(
    platform_admin, agriculture, make_account
):
    fb = make_account(agriculture, "facebook", "minagricultura")
    x = make_account(agriculture, "x", "minagricultura")

    first = run(platform_admin, FIGURES_CSV, "figures")

    assert (first.created, first.updated, first.unchanged, first.rejected) == (3, 0, 0, 7)
    assert reasons(first) == {
        5: "duplicada: la misma cuenta y fecha está en una fila anterior",
        6: "fecha no válida (use AAAA-MM-DD o DD/MM/AAAA)",
        7: "seguidores negativos",
        8: "seguidores: no es un número entero",
        9: "publicaciones negativas",
        10: "cuenta no registrada: impórtela antes como cuenta",
        11: "la dirección del perfil no corresponde a la cuenta @minagricultura",
    }
    figures = {
        (f.account_id, f.date): (f.followers, f.posts, f.source) for f in SocialFigure.objects.all()
    }
    assert figures == {
        (fb.pk, date(2025, 1, 31)): (1200, 14, "csv"),
        (x.pk, date(2025, 1, 31)): (800, None, "csv"),
        (fb.pk, date(2025, 2, 28)): (1300, 0, "csv"),
    }
    assert AuditEntry.objects.filter(action="socialfigure.record").count() == 3

    again = run(platform_admin, FIGURES_CSV, "figures")

    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 7)
    assert SocialFigure.objects.count() == 3
    assert AuditEntry.objects.filter(action="socialfigure.record").count() == 3


def test_a_changed_figure_is_updated_and_audited_with_its_old_values(
    platform_admin, agriculture, make_account, make_figure
):
    fb = make_account(agriculture, "facebook", "minagricultura")
    make_figure(fb, date(2025, 1, 31), 1000, posts=3)

    done = run(
        platform_admin,
        "red,cuenta,fecha,seguidores,publicaciones\nfacebook,minagricultura,2025-01-31,1100,3\n",
        "figures",
    )

    assert (done.created, done.updated, done.unchanged) == (0, 1, 0)
    entry = AuditEntry.objects.get(action="socialfigure.record")
    assert entry.before == {"followers": 1000, "posts": 3}
    assert entry.after == {"date": "2025-01-31", "followers": 1100, "posts": 3}


def test_a_file_without_the_needed_columns_is_refused(platform_admin):
    with pytest.raises(InvalidInput, match="Faltan columnas en el archivo: entidad"):
        run(platform_admin, "red,cuenta\nx,agro\n", "accounts")
    with pytest.raises(InvalidInput, match="fecha, seguidores"):
        run(platform_admin, "red,cuenta\nx,agro\n", "figures")
    assert not SocialImport.objects.exists()


def test_staff_without_the_permission_cannot_import(make_staff, agriculture):
    from urna.accounts.models import Role

    analyst = make_staff(agriculture, Role.ANALYST)

    with pytest.raises(PermissionDenied):
        run(analyst, "entidad,red,cuenta\nMINAGRICULTURA,x,agro\n", "accounts")
    assert not SocialAccount.objects.exists()


def test_the_command_imports_as_the_platform_and_writes_the_report(tmp_path, national_entities):
    source = tmp_path / "cuentas.csv"
    source.write_text("entidad,red,cuenta\nMINAGRICULTURA,x,agro\nNOEXISTE,x,b\n", "utf-8")
    out = io.StringIO()

    call_command("socialaccounts_import", str(source), "--kind", "accounts", stdout=out)

    assert out.getvalue().splitlines() == [
        "1 nuevas, 0 actualizadas, 0 sin cambios, 1 rechazadas.",
        f"Filas rechazadas en {tmp_path / 'cuentas-rechazos.csv'}.",
    ]
    report = (tmp_path / "cuentas-rechazos.csv").read_text("utf-8-sig").splitlines()
    assert report == [
        "fila,motivo,entidad,red,cuenta",
        "3,sigla de entidad desconocida,NOEXISTE,x,b",
    ]
    entry = AuditEntry.objects.get(action="socialaccount.create")
    assert (entry.actor, entry.actor_label) == (None, "system:socialaccounts")
