from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('extraction', '0013_learned_product'),
    ]

    operations = [
        migrations.AddField(
            model_name='layoutfingerprint',
            name='types_corrected',
            field=models.PositiveIntegerField(default=0, help_text='Documents de ce modèle dont un validateur a corrigé le type : les suivants prennent le type du modèle.', verbose_name='types corrigés'),
        ),
        migrations.AddField(
            model_name='layoutfingerprint',
            name='misread_as',
            field=models.CharField(blank=True, help_text='Type que la classification donnait aux documents de ce modèle avant correction.', max_length=50, verbose_name='lu à tort comme'),
        ),
    ]
