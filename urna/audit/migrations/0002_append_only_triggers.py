"""Database triggers that refuse UPDATE and DELETE on the audit log (SQLite and PostgreSQL)."""

from django.db import migrations

from urna.audit import triggers


def forwards(apps, schema_editor):
    triggers.install(schema_editor.execute, schema_editor.connection.vendor)


def backwards(apps, schema_editor):
    triggers.uninstall(schema_editor.execute, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
