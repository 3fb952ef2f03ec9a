"""SQLite with its writers queued on a file lock (issue 17): see `base`."""
