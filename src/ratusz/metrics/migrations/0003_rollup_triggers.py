"""Install the triggers that queue changed posts and follower snapshots (0005 builds the rollup)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ratusz.metrics import rollup

    rollup.install_triggers(schema_editor.connection)


def backwards(apps, schema_editor):
    from ratusz.metrics import rollup

    rollup.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("metrics", "0002_profile_day_rollup"),
        ("collect", "0002_collection_runs"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
