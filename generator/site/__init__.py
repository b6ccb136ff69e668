"""The site as plain data: relations between records, listings and page plans, URLs,
feeds, localized names and what templates see.

Imports only `generator.content` (and the digest's web copy); never build, preview or engine.
"""
