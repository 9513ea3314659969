"""E-mails written from templates: ``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated_email(name: str, context: dict, recipients: list[str]) -> int:
    """Send the ``emails/<name>*`` templates rendered with ``context`` to ``recipients``.

    Returns the number of messages sent (0 without recipients). Mail server errors are
    raised: the caller decides whether they matter.
    """
    if not recipients:
        return 0
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    return message.send()
