"""`hub serve` without the engine: what a save changes, what a broken file shows,
the background search index and the live-reloading server.

Imports content, site and build; never the engine.
"""
