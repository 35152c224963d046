"""Published questions and answers go through the platform's personal-data detector
(``urna.core.privacy``, issue #12): the ones published before it, masked by the queries app's
own rules (emails, numbers, the contact's name), are masked again, so names and street
addresses typed into them leave the public pages too."""

from django.db import migrations

from urna.core.privacy import mask_personal_data
from urna.core.text import search_normalise


def mask_published(apps, schema_editor):
    Query = apps.get_model("queries", "Query")
    published = Query.objects.filter(published_at__isnull=False).select_related("contact")
    for query in published.iterator(chunk_size=500):
        names = [query.contact.name] if query.contact_id and query.contact.name else []
        question = mask_personal_data(query.public_question, names=names)
        answer = mask_personal_data(query.public_answer, names=names)
        if (question, answer) != (query.public_question, query.public_answer):
            Query.objects.filter(pk=query.pk).update(
                public_question=question,
                public_answer=answer,
                search_text=search_normalise(f"{question} {answer}"),
            )


class Migration(migrations.Migration):
    dependencies = [("queries", "0002_inbox_and_stat_indexes")]

    operations = [migrations.RunPython(mask_published, migrations.RunPython.noop, elidable=True)]
