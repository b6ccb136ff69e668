"""The one door to the rendering engine (MkDocs 1.6 or ProperDocs 1.6): the `hub` plugin
and the build and preview entry points, through the engine's public API only.

The only package that imports `mkdocs`.
"""
