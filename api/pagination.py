"""Cursor pagination of the large API lists: stable under inserts, with no page count and
no deep OFFSET to compute. A cursor that is not one we gave out is a 400 naming ``cursor``."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Longer than any position we give out (a name or a time).
MAX_POSITION_LENGTH = 500


class StableCursorPagination(CursorPagination):
    """Pages of ``page_size`` rows (1 to 100, default 20) in the view's ``ordering``.

    The first ordering field gives the cursor's position: a time (``-published_at``), a number
    or a text (``sort_name``); the last makes the order total. A position of the wrong type or a
    garbled cursor is refused before it reaches the database.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_description = _(
        "Where the page starts: the “next” or “previous” address of another page gives it."
    )
    page_size_query_description = _("Rows per page, 1 to 100 (default 20).")

    def get_ordering(self, request, queryset, view):
        return tuple(view.ordering)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
            valid = False
        else:
            valid = cursor is None or self._valid_position(cursor.position)
        if not valid:
            raise ValidationError({self.cursor_query_param: [_("This cursor is not valid.")]})
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def _valid_position(self, position):
        """Whether ``position`` can be compared with the first ordering field's values."""
        if position is None:
            return True
        if len(position) > MAX_POSITION_LENGTH or "\x00" in position:
            return False
        try:
            field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
        except FieldDoesNotExist:  # an annotation (a name): any text compares
            return True
        try:
            if isinstance(field, models.DateTimeField):
                moment = parse_datetime(position)
                return moment is not None and moment.tzinfo is not None
            if isinstance(field, models.DateField):
                return parse_date(position) is not None
            if isinstance(field, models.IntegerField | models.AutoField):
                return position.isascii() and position.isdigit() and len(position) <= 18
        except ValueError:  # well formed but impossible, such as month 13
            return False
        return True

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (
            len(raw) <= 3
            and raw.isascii()
            and raw.isdigit()
            and 1 <= int(raw) <= self.max_page_size
        ):
            raise ValidationError(
                {self.page_size_query_param: [_("Give a number of rows from 1 to 100.")]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
        return parameters
