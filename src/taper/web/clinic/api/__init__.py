"""The JSON API at /api/ (django-ninja): the same services and the same access rules as the
pages. docs/api.md describes it; /api/openapi.json is its contract.
"""
