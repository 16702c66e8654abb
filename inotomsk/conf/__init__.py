"""The sections of the settings, gathered by inotomsk/settings.py.

base (environment helpers, debug, secret key, apps, middleware, templates, database, languages),
files (static files, media, storage, upload sizes), security (HTTPS, proxies, content security
policy), services (caches, the page cache, metrics, tasks, e-mail, logging) and content (list
pages, downloads, open data, imports, the API). Each takes what it needs from those before it.
"""
