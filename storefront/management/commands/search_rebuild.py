from django.core.management.base import BaseCommand

from storefront.search import services


class Command(BaseCommand):
    help = "Write every product's search terms again (after imports or bulk updates that send no signals)."

    def handle(self, *args, **options):
        written = services.rebuild()
        self.stdout.write(f"search terms written for {written} products")
