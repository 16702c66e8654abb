"""Admin log-in: throttled per name and address in the database, safe redirects, validated passwords."""
