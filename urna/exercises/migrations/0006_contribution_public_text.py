"""Contributions keep a masked copy of their text for every public output (issue #12).

``public_text`` is the text with names, documents, phones, emails, addresses and handles
replaced by placeholders (``urna.core.privacy``); ``personal_data`` lists the kinds found, for
the moderation queue. New contributions get both at intake; this migration fills them for the
rows already stored, in chunks (``manage.py contributions_mask`` does the same later, e.g. after
the detector improves).
"""

from django.db import migrations, models

from urna.core.privacy import personal_data_scan

CHUNK = 2000


def backfill(apps, schema_editor):
    Contribution = apps.get_model("exercises", "Contribution")
    last = 0
    while True:
        rows = list(
            Contribution.objects.filter(pk__gt=last)
            .exclude(text="")
            .order_by("pk")
            .values_list("pk", "text")[:CHUNK]
        )
        if not rows:
            break
        for pk, text in rows:
            public_text, kinds = personal_data_scan(text)
            Contribution.objects.filter(pk=pk).update(public_text=public_text, personal_data=kinds)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0005_contribution_autovacuum"),
    ]

    operations = [
        migrations.AddField(
            model_name="contribution",
            name="personal_data",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name="contribution",
            name="public_text",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
