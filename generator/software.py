"""The software a build ran with, as `name=version` pairs: part of every cache key.

The engine is whichever of MkDocs and ProperDocs (its maintained continuation) is
installed; a cache made under one is never read under the other.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

ENGINES = ("mkdocs", "properdocs")
LIBRARIES = ("mobility-hub", "mkdocs-material", "markdown", "pymdown-extensions")


def _installed(names: tuple[str, ...]) -> tuple[str, ...]:
    found = []
    for name in names:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            continue
    return tuple(found)


def installed_engines() -> tuple[str, ...]:
    """`mkdocs=1.6.1`, `properdocs=1.6.7`, or both: an install may hold either or both."""
    return _installed(ENGINES)


SOFTWARE = installed_engines() + _installed(LIBRARIES)
