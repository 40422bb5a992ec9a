from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# "module:function" steps, each taking stdout, in order: the 2019 story, the 2025 reorganisation
# applied through the same service and data file as `apply_reorganisation`, then this year under
# Hưng Yên. feedback.demo.load fills every held session without opinions, so it runs twice.
DEMO_LOADERS = [
    "communes.demo:load",
    "accounts.demo:load",
    "dialogues.demo:load",
    "feedback.demo:load",
    "communes.demo:load_reform",
    "obligations.demo:load",
    "accounts.demo:load_after_reform",
    "dialogues.demo:load_today",
    "feedback.demo:load",
    "reports.demo:load",
    "public.demo:load",
]


class Command(BaseCommand):
    help = "Load the Vũ Thư demo data. Running it again leaves the same data."

    @transaction.atomic
    def handle(self, *args, **options):
        for step in DEMO_LOADERS:
            module, function = step.split(":")
            getattr(import_module(module), function)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
