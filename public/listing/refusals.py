"""The one place that words refused filter values, for every kind of answer.

A value a list cannot apply (an unknown slug, a year that is not one, words too long) is
refused: a list page drops it with a notice and answers 400; a feed, a calendar, a download,
a chart file and the API refuse the request (400), since serving everything instead would not
be what was asked for. Each answer says the same thing in its own form:

- ``notices``: one sentence per refused value (the list pages and the statistics page);
- ``summary``: all of them on one line (feeds and calendars, in the page of a 400);
- ``errors``: {parameter: [messages]} (the API's 400 JSON and a JSON download's);
- ``refused_response``: a download's or a chart file's 400, as JSON or as plain text.
"""

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _sentences(refused):
    """(refusal, "The Year filter was not applied: …") of each refused value."""
    for refusal in refused:
        for message in refusal.messages:
            yield (
                refusal,
                _("The %(label)s filter was not applied: %(error)s")
                % {
                    "label": refusal.label,
                    "error": message,
                },
            )


def notices(refused):
    """["The Year filter was not applied: …"] of ``refused`` (Refusal, ...)."""
    return [sentence for _refusal, sentence in _sentences(refused)]


def summary(refused):
    """ "Year: …; Cluster: …" of ``refused``."""
    return "; ".join(f"{r.label}: {message}" for r in refused for message in r.messages)


def errors(refused):
    """{parameter: [messages]} of ``refused``."""
    return {r.name: list(r.messages) for r in refused}


def refuse(refused, sentence):
    """Refuse the request (400) with ``sentence`` ("The feed was not made: %(errors)s")."""
    raise BadRequest(sentence % {"errors": summary(refused)})


def refused_response(refused, fmt):
    """The 400 of a file (a download, a chart): JSON errors, or one line per refused value
    naming its parameter, in plain text."""
    if fmt == "json":
        return JsonResponse(
            {"errors": errors(refused)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    lines = [f"{refusal.name}: {sentence}" for refusal, sentence in _sentences(refused)]
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
