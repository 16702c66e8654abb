"""E-mail settings from one URL (``DJANGO_EMAIL_URL``), read by inotomsk/conf/services.py.

- ``smtp://user:password@host:587?tls=1``: SMTP with STARTTLS (``ssl=1`` for implicit TLS on
  465; ``timeout=`` seconds, 10 by default). User and password are URL-encoded.
- ``console://``, or nothing: messages are written to the console (local runs).
- ``locmem://``: kept in memory (``django.core.mail.outbox``), for tests.

No Django import: the settings module reads it before Django is set up.
"""

from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}


def parse(url):
    """The EMAIL_* settings for ``url``; ValueError saying what is wrong with it."""
    settings = {
        "EMAIL_BACKEND": BACKENDS["console"],
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }
    url = (url or "").strip()
    if not url:
        return settings
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ValueError(f"the scheme must be one of {', '.join(sorted(BACKENDS))}")
    settings["EMAIL_BACKEND"] = BACKENDS[parts.scheme]
    if parts.scheme != "smtp":
        return settings
    if not parts.hostname:
        raise ValueError("an SMTP URL needs a host (smtp://host:port)")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    try:
        port = parts.port
        timeout = float(query.get("timeout", 10))
    except ValueError:
        raise ValueError("the port and the timeout must be numbers") from None
    tls = query.get("tls", "").lower() in TRUE
    ssl = query.get("ssl", "").lower() in TRUE
    if tls and ssl:
        raise ValueError("tls=1 and ssl=1 exclude each other")
    settings.update(
        EMAIL_HOST=parts.hostname,
        EMAIL_PORT=port or (465 if ssl else 587 if tls else 25),
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_TLS=tls,
        EMAIL_USE_SSL=ssl,
        EMAIL_TIMEOUT=timeout,
    )
    return settings
