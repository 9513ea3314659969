"""Webhooks: an installer's endpoints told of their dossiers' events.

``models`` (endpoints, deliveries), ``events`` (what is sent when), ``signing`` (the
``X-CEE-Signature`` header), ``transport`` (address checks and the HTTP POST), ``services``
(register, attempt, retry, disable), ``selectors`` (what the portal, the API and the admin
list), ``tasks`` (django-q2 entry points), ``portal``, ``api`` and ``admin`` (front ends).
"""
