"""The content model and its validation: typed records, front-matter fields, YAML and
Markdown sources, the loader, the hub's settings and the project on disk.

Imports nothing else of the generator (no site, build, preview or engine).
"""
