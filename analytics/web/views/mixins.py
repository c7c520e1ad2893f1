from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpRequest


class StaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Actions that change data (imports, training) are for staff; others get a 403 page."""

    request: HttpRequest  # set by View.setup()

    def test_func(self) -> bool:
        return self.request.user.is_staff
