"""Database back ends of the web app (settings.sqlite_database)."""
