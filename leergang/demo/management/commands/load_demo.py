from django.core.management.base import BaseCommand

from leergang.demo import content
from leergang.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo programme, its editions and demo users (does nothing when already loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, quiet_logins=False, **options):
        created = load_demo()
        self.stdout.write("Demo content loaded." if created else "Demo content was already present.")
        if quiet_logins:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {content.DEMO_PASSWORD}):")
        self.stdout.write(f"  programme office  {content.COORDINATOR['email']}")
        self.stdout.write(f"  teacher           {content.TEACHER_USER['email']}")
        for participant in content.PARTICIPANTS:
            self.stdout.write(f"  participant       {participant['email']}")
