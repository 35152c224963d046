"""PostgreSQL: keep the contribution table's statistics and visibility map current during floods.

A consultation can take 100,000+ contributions in minutes. With the default scale factors
(20 % of the table) autovacuum analyses and vacuums it rarely, so the planner keeps estimating a
few rows per exercise and the public counts cannot use index-only scans: the exercise page's
first view after a flood took 500+ ms. 2 % keeps them current. Nothing to do on SQLite.
"""

from django.db import migrations

TUNE = (
    "ALTER TABLE exercises_contribution SET (autovacuum_analyze_scale_factor = 0.02, "
    "autovacuum_vacuum_insert_scale_factor = 0.02)"
)
RESET = (
    "ALTER TABLE exercises_contribution RESET (autovacuum_analyze_scale_factor, "
    "autovacuum_vacuum_insert_scale_factor)"
)


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TUNE)


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESET)


class Migration(migrations.Migration):
    dependencies = [("exercises", "0004_contribution_keys_and_covering_indexes")]

    operations = [migrations.RunPython(tune, reset)]
