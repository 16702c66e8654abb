"""Versions of content: every save keeps one; history, diff, restore and recover in the admin.

django-reversion stores the versions, cms/compare.py shows the diff (tests/test_version_compare.py
tests it further), and cms/versions.py keeps the roles' rules when restoring or recovering.
"""
