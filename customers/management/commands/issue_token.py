from django.core.management.base import BaseCommand, CommandError

from customers.exceptions import ApplicationError
from customers.services.accounts import api_token_issue


class Command(BaseCommand):
    help = "Print the API token of a user (Authorization: Token <key>); --rotate replaces it, revoking the old one."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--create-user", action="store_true", help="Create the user (no password) if missing.")
        parser.add_argument("--staff", action="store_true", help="With --create-user: may start imports and training.")
        parser.add_argument("--rotate", action="store_true", help="Replace the existing token.")

    def handle(self, *args, username: str, create_user: bool, staff: bool, rotate: bool, **options):
        try:
            token = api_token_issue(username=username, create_user=create_user, staff=staff, rotate=rotate)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(token.key)
