from django.core.management.base import BaseCommand

from customers.services.accounts import demo_admin_ensure


class Command(BaseCommand):
    help = "Create the demo admin login with a random password and print it once (no-op if it exists)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        admin = demo_admin_ensure(username=username)
        if admin.password is None:
            self.stdout.write(
                f"Admin login '{admin.username}' already exists; its password was printed when it was created. "
                f"Reset it with: python manage.py changepassword {admin.username}"
            )
            return
        self.stdout.write(self.style.SUCCESS("Demo admin login created (shown only this once):"))
        self.stdout.write(f"    username: {admin.username}\n    password: {admin.password}")
