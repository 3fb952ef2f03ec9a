"""Taper: exact, product-aware plans for the gradual reduction of a medicine."""

__version__ = "0.1.0"
