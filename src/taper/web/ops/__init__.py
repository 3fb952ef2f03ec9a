"""Operations: backup and restore, readiness, request logs (docs/operations.md)."""
