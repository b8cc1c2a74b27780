from django.core.management.base import BaseCommand, CommandError

from leergang.accounts.models import User
from leergang.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Print a new API bearer token for an existing user (the token is the last line)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail address {email}.")
        if not user.is_active:
            raise CommandError(f"The user {email} is deactivated.")
        raw = issue_api_token(actor=None, user=user)
        self.stdout.write(f"API token for {user.email} ({user.role}); send it as 'Authorization: Bearer <token>':")
        self.stdout.write(raw)
