"""An installer's dossiers read in submission order (see Dossier.Meta.indexes)."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_reference_data_rows"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["installer", "-submitted_at", "-id"], name="dossier_installer_submit_idx"),
        ),
    ]
