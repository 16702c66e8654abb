"""Editors draft, publishers publish: each role's allowed and refused actions in the admin."""
