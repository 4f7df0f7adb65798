"""The one exception the identity checks raise."""


class IdentityError(ValueError):
    """An identity number is invalid.

    `message` is a lazy (translatable) string: render it with str() inside the request, so the
    user's language applies. `code` is a stable key for programs and tests (e.g. "nik_length").
    """

    def __init__(self, message, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
