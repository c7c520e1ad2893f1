"""Pagination of the API's lists."""

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=&offset=`, 25 by default and never more than 200 rows per page."""

    default_limit = 25
    max_limit = 200
    max_offset = 1_000_000_000  # beyond any real list; keeps absurd offsets from overflowing SQL integers

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), self.max_offset)
