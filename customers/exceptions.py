"""Errors raised by the services when a business rule is broken (input errors are ValidationError)."""


class ApplicationError(Exception):
    """A request that is well-formed but cannot be carried out; `message` is safe to show to users."""

    def __init__(self, message: str, *, code: str = "application_error", extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}
