from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's demo module has load(stdout); later apps append theirs, in dependency order.
DEMO_LOADERS = ["communes.demo", "accounts.demo", "dialogues.demo", "feedback.demo", "reports.demo"]


class Command(BaseCommand):
    help = "Load the Vũ Thư demo data. Running it again leaves the same data."

    @transaction.atomic
    def handle(self, *args, **options):
        for module in DEMO_LOADERS:
            import_module(module).load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
