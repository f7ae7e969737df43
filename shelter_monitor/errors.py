"""Errors a service raises for input it refuses, naming the form field the message belongs next to."""


class FieldError(ValueError):
    """`field` is the form field the (translatable) `message` belongs to."""

    def __init__(self, field: str, message) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message
