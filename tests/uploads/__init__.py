"""Image uploads in the admin: strict validation, metadata stripped, renditions made once."""
