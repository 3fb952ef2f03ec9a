"""The pharmacokinetic view (SPEC B1): a model of the blood level across a plan.

Floats live here and only here: these are curves, never doses. Nothing in this package
reads a file, the clock or an unseeded random source.
"""

DISCLAIMER = (
    "A model of an average adult from published studies, not a measurement, "
    "not a dosing instruction."
)
