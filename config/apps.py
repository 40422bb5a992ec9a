from django import forms
from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """What the whole project shares that needs Django ready: the check on every text input."""

    name = "config"
    label = "project"

    def ready(self):
        from .text import validate_printable_text

        # Every form's text field, the admin's included, refuses what cannot be stored, printed
        # or exported: one rule in one place instead of a validator repeated on each field.
        # (EmailField, URLField and the like declare validators of their own and are unaffected.)
        forms.CharField.default_validators = [validate_printable_text]
