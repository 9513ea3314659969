"""django-q2 entry points for webhooks: load ids, call the services, nothing else."""
from __future__ import annotations

import datetime

from django.conf import settings

TASK = "dossiers.webhooks.tasks.deliver_webhook"


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    """Queue one attempt per delivery (run at once when ``Q_CLUSTER["sync"]``)."""
    from django_q.tasks import async_task

    for delivery_id in delivery_ids:
        async_task(TASK, delivery_id, group="webhooks", sync=bool(settings.Q_CLUSTER.get("sync", False)))


def schedule_retry(delivery_id: int, attempt: int, at: datetime.datetime) -> None:
    """A django-q2 schedule, run once at ``at``, for the attempt after ``attempt``."""
    from django_q.models import Schedule
    from django_q.tasks import schedule

    schedule(TASK, delivery_id, name=f"webhook-{delivery_id}-{attempt + 1}", schedule_type=Schedule.ONCE, next_run=at)


def deliver_webhook(delivery_id: int) -> str:
    from .services import attempt_delivery

    delivery = attempt_delivery(delivery_id)
    return "absent" if delivery is None else delivery.status
