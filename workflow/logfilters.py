"""Keeps preview tokens out of the logs: /preview/<token>/ is logged as /preview/…/."""

import logging
import re

TOKEN = re.compile(r"(/preview/)[^/\s\"'?]+")


def redact(text):
    return TOKEN.sub(r"\1…", text)


class PreviewTokenFilter(logging.Filter):
    """Rewrites a record's message without any preview token (it may be in the arguments)."""

    def filter(self, record):
        message = record.getMessage()
        if "/preview/" in message:
            record.msg, record.args = redact(message), ()
        return True
