from django.core.management.base import BaseCommand

from analytics.recommendations.services import recommendations_build
from customers.progress import progress_printer


class Command(BaseCommand):
    help = (
        "Build the recommendation tables from all baskets: frequently bought together per product (support, "
        "confidence, lift) and buy-again / discover lists per customer. Train runs this too."
    )

    def handle(self, *args, **options):
        build = recommendations_build(progress=progress_printer(self.stdout))
        sizes, tuning = build.sizes, build.tuning
        self.stdout.write(
            self.style.SUCCESS(f"Recommendations #{build.pk} built in {build.timings['total']:.1f}s ")
            + f"(load {build.timings['load']}s, compute {build.timings['compute']}s, write {build.timings['write']}s)"
        )
        self.stdout.write(
            f"  {sizes['baskets']:,} baskets, {sizes['products_sold']:,}/{sizes['products']:,} products sold, "
            f"{sizes['pairs']:,} co-occurring pairs, {sizes['customers']:,} customers\n"
            f"  stored {sizes['product_rows']:,} product rows ({sizes['sources']}) and "
            f"{sizes['customer_rows']:,} customer rows\n"
            f"  ranking blend γ = {tuning['gamma']}, β = {tuning['beta']} ({tuning['reason']})"
        )
