"""Contacts and the feedback form: messages visitors send from /contact/, kept for staff."""
