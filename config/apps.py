from django import forms
from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """What the whole project shares that needs Django ready: the check on every text input, and
    the reference tables kept in the cache emptied when they change."""

    name = "config"
    label = "project"

    def ready(self):
        from .text import validate_printable_text

        # Every form's text field, the admin's included, refuses what cannot be stored, printed
        # or exported: one rule in one place instead of a validator repeated on each field.
        # (EmailField, URLField and the like declare validators of their own and are unaffected.)
        forms.CharField.default_validators = [validate_printable_text]

        # Reference tables kept in the cache are emptied on every change (config/reference.py).
        from communes.models import Position
        from feedback.models import Field, Holiday
        from obligations.models import Obligation

        from .reference import forget_on_change

        forget_on_change("obligations", Obligation, Position)
        forget_on_change("holidays", Holiday)
        forget_on_change("fields", Field)
