"""Spanish (es, es-CO): "13 de noviembre de 2026", "13 de noviembre de 2026, 14:05", 108.739."""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
# Where room is short (chart axes, text messages): "13 nov 2026".
SHORT_DATE_FORMAT = r"j b Y"
SHORT_DATETIME_FORMAT = r"j b Y, H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
