# Every row the participant's overview shows gets an `updated_at`: the overview is cached under a
# stamp of these rows (leergang/core/fragment_cache.py). Existing rows start at the migration's time.
import django.utils.timezone
from django.db import migrations, models


def _updated_at(model_name):
    return migrations.AddField(
        model_name=model_name,
        name="updated_at",
        field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
        preserve_default=False,
    )


class Migration(migrations.Migration):
    dependencies = [("learning", "0004_groups_cases_time_reminders")]

    operations = [_updated_at("papersubmission"), _updated_at("presentationslot"), _updated_at("literatureitem"), _updated_at("timeentry")]
