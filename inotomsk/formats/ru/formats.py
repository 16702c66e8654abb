"""Russian conventions: "12 декабря 2017 г.", "12 декабря 2017 г., 11:19", "1 250,5" (a
narrow no-break space between thousands, a decimal comma)."""

DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г., H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "F Y г."
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
