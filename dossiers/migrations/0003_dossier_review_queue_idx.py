"""The review queue's default view read in index order (see Dossier.Meta.indexes)."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_reference_sequence"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("status__in", ["ready_for_review", "in_review"])),
                fields=["-priority", "submitted_at", "id"],
                name="dossier_review_queue_idx",
            ),
        ),
    ]
