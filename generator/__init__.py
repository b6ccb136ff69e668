"""Mobility Hub: turns the editors' Markdown into a static knowledge hub."""

__version__ = "0.1.0"
