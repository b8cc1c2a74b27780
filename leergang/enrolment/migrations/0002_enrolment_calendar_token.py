"""Each enrolment gets its own secret calendar token.

A callable default on AddField would give every existing row the same value, so the field is
added nullable, each row is filled with its own token, and only then made required and unique.
"""

import secrets

from django.db import migrations, models

import leergang.enrolment.models


def fill_tokens(apps, schema_editor):
    Enrolment = apps.get_model("enrolment", "Enrolment")
    batch = []
    for enrolment in Enrolment.objects.filter(calendar_token__isnull=True).only("id").iterator(chunk_size=1000):
        enrolment.calendar_token = secrets.token_urlsafe(32)
        batch.append(enrolment)
        if len(batch) >= 1000:
            Enrolment.objects.bulk_update(batch, ["calendar_token"])
            batch = []
    if batch:
        Enrolment.objects.bulk_update(batch, ["calendar_token"])


class Migration(migrations.Migration):

    dependencies = [
        ("enrolment", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="calendar_token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="calendar token"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="enrolment",
            name="calendar_token",
            field=models.CharField(
                default=leergang.enrolment.models.new_calendar_token,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="calendar token",
            ),
        ),
    ]
