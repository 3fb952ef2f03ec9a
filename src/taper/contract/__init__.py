"""The boundary: JSON/TOML documents in, validated core objects out, and back again."""
