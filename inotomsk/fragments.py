"""HTML fragments of the public pages, rendered once and kept in each process.

A list page is mostly rows (cards) that depend only on their object, the language and the
content version. ``rendered_rows`` keeps each row's HTML for the current content version, so
a list page reads the keys of its rows, joins the HTML it already has and renders only the
rows it has not seen since the last content change. The keys name the content version
(``inotomsk.cache``), so any change to content ends every kept row at once.

The rows live in the ``fragments`` cache, local memory in every process: a row costs no
network round trip, and a new release, which starts new processes, never serves fragments
rendered by the old templates. Parts of every page that do not depend on content at all
(``site_part``: header, footer, links in the head) are rendered once per process.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .cache import DATA_CACHE_SECONDS, current_version

FRAGMENT_CACHE = "fragments"
_site_parts = {}


def rendered_rows(model, keys, template_name, name, load, variant=""):
    """The HTML of the rows of ``model`` with primary keys ``keys``, in that order.

    Rows not kept yet are loaded with ``load(missing_keys)`` (an iterable of objects) and
    rendered with ``template_name``, the object given as ``name``. ``variant`` names anything
    else the row depends on, such as the search text its snippet highlights. A key whose row
    is no longer there is left out.
    """
    keys = list(keys)
    if not keys:
        return []
    # One short prefix per kind of row: the cache checks every character of every key.
    kind = f"{current_version()}|{get_language()}|{model._meta.label}|{template_name}|{variant}"
    prefix = "row:" + hashlib.md5(kind.encode(), usedforsecurity=False).hexdigest()[:20] + ":"
    cache = caches[FRAGMENT_CACHE]
    found = cache.get_many([f"{prefix}{key}" for key in keys])
    missing = [key for key in keys if f"{prefix}{key}" not in found]
    if missing:
        template = get_template(template_name)
        rendered = {f"{prefix}{obj.pk}": template.render({name: obj}) for obj in load(missing)}
        cache.set_many(rendered, DATA_CACHE_SECONDS)
        found.update(rendered)
    return [mark_safe(found[f"{prefix}{key}"]) for key in keys if f"{prefix}{key}" in found]  # noqa: S308 - our own templates' output


def site_part(template_name, **context):
    """A part of every page, such as the header, that depends only on the language and
    ``context`` (the section): rendered once per process, or every time in debug mode, where
    templates are being edited."""
    key = (template_name, get_language(), get_script_prefix(), tuple(sorted(context.items())))
    html = None if settings.DEBUG else _site_parts.get(key)
    if html is None:
        html = _site_parts[key] = get_template(template_name).render(context)
    return html
