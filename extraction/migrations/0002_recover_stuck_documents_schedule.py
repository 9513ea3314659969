"""A django-q2 schedule: every 5 minutes, requeue or fail documents abandoned in processing."""
from django.db import migrations

SCHEDULE_NAME = "Récupération des documents bloqués"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "extraction.tasks.recover_stuck_documents_task",
            "schedule_type": "I",  # minutes
            "minutes": 5,
            "repeats": -1,
        },
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("extraction", "0001_initial"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
