"""Build the daily and monthly rollup of an existing database from its posts (`ratusz metrics rollup
--rebuild` does the same later, with a progress bar)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ratusz.metrics import rollup

    rollup.rebuild()


class Migration(migrations.Migration):

    dependencies = [("metrics", "0004_profile_month_rollup")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
