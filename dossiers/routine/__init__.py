"""Routine jobs run by django-q2 schedules: RGE expiry, draft reminders, the weekly report."""
