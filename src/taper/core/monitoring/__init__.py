"""Watching a taper: check-ins, red flags and pacing decisions, each with its basis.

Pure like the rest of the core: the rules arrive as data (a `MonitoringRules`, loaded by
taper.knowledge.monitoring), the plan and the check-ins as values, and "today" as an
argument. See docs/monitoring.md.
"""
