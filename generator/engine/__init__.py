"""The one door to the rendering engine (MkDocs 1.6 or ProperDocs 1.6): the `hub` plugin
and the build and preview entry points, through the engine's public API only.

The only package that imports `mkdocs`. ProperDocs, the maintained continuation of
MkDocs 1.x, answers `mkdocs.*` imports once `properdocs.replacement` is loaded (its own
command does that first): with MkDocs absent, this package loads it, so `hub build`
and `hub serve` run on whichever engine is installed.
"""

try:
    import mkdocs  # noqa: F401  (MkDocs itself, or ProperDocs already answering for it)
except ModuleNotFoundError:
    import properdocs.replacement  # noqa: F401
