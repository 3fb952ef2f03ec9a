"""The pure core: plain dataclasses and functions, no framework, no I/O, no clock."""
