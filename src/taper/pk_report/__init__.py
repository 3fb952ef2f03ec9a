"""The pharmacokinetic view as people read it: a table, JSON, or a chart (PNG/SVG).

Every output carries the same disclaimer (taper.core.pk.DISCLAIMER, hazard HZ-060).
"""
