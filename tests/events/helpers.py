"""Events made for the tests, and the time zones they are in."""

from zoneinfo import ZoneInfo

from .. import factories

MOSCOW = ZoneInfo("Europe/Moscow")
TOMSK = ZoneInfo("Asia/Tomsk")


event = factories.event
