"""Form widgets shared by the apps."""

from django import forms


class DateInput(forms.DateInput):
    """An ``<input type="date">``: its value is always ISO 8601 (``2027-01-22``), the only form
    a browser's date field accepts, whatever the language's date format (``22/01/2027`` in
    Spanish would leave the field empty and block the form)."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
