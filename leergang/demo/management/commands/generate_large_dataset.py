import time

from django.core.management.base import BaseCommand

from leergang.demo.large import generate
from leergang.demo.loader import load_demo


class Command(BaseCommand):
    help = "Add years of generated history (the benchmark's large data set) on top of the demo."

    def add_arguments(self, parser):
        parser.add_argument("--editions", type=int, default=400)
        parser.add_argument("--per-edition", type=int, default=25, help="Participants per edition.")
        parser.add_argument("--years", type=int, default=10)

    def handle(self, *args, editions, per_edition, years, **options):
        started = time.perf_counter()
        load_demo()
        counts = generate(editions=editions, per_edition=per_edition, years=years)
        seconds = time.perf_counter() - started
        written = ", ".join(f"{value} {name}" for name, value in counts.as_dict().items() if name != "by_status")
        self.stdout.write(f"Generated in {seconds:.1f} s: {written}.")
