"""Logging filters of the project's console handler (LOGGING in inotomsk/conf/services.py)."""

import logging


class RefusedRequestFilter(logging.Filter):
    """One line per refused request: a 4xx logged with its exception (``BadRequest``,
    ``SuspiciousOperation``, ``PermissionDenied``...) loses the traceback, and line breaks in
    its message are escaped.

    Django logs such refusals with ``exc_info``, so every bad address a client sends wrote a
    full traceback; the refusal is the client's doing and the message says what it was. A 5xx
    keeps its traceback.
    """

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            # The message may hold what the client sent (a host, a path): kept on one line.
            message = record.getMessage().replace("\r", "\\r").replace("\n", "\\n")
            record.msg, record.args = message, ()
            record.exc_info = record.exc_text = record.stack_info = None
        return True
