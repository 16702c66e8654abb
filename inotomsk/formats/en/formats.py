"""English dates as the portal writes them: "12 December 2017" (Django's default is
"Dec. 12, 2017")."""

DATE_FORMAT = "j F Y"
