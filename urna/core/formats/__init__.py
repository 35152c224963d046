"""Urna's date and number formats, one per language (settings.FORMAT_MODULE_PATH).

Pages name them (``|date:"DATE_FORMAT"``, ``|date:"DATETIME_FORMAT"``, ``|intcomma``) instead
of spelling a pattern, so a date reads the same on every page: "13 de noviembre de 2026" in
Spanish, "13 November 2026" in English; a count "108.739" in Spanish, "108,739" in English.
What Django's own locale modules say is kept for the rest (input formats of forms among them).
"""
