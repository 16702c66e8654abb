"""Spreadsheet import and export in the admin: preview, row errors before anything is written,
all or nothing, editors' drafts, refused files, and the export reading back."""
