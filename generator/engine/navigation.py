"""Each language's navigation: mkdocs.yml's `nav`, its pages swapped for that language's versions."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, get_navigation

from generator.site.languages import localized_nav
from generator.site.plan import SitePlan


def language_navigations(files: Files, config: MkDocsConfig, plan: SitePlan) -> dict[str, Navigation]:
    """language → its navigation (the tabs of its pages), for each language but the site's.

    Made once all pages exist (on_nav): the engine's own builder then finds each page
    and only links it in, so the tabs of /fr/ lead to /fr/articles/ and show its title.
    """
    if plan.languages is None or not config.nav:
        return {}
    found = {}
    site_nav: Any = config.nav
    try:
        for lang in plan.languages.languages[1:]:
            config.nav = localized_nav(site_nav, plan.edition(lang).prefix, plan.languages.pages)
            found[lang] = get_navigation(files, config)
    finally:
        config.nav = site_nav
    return found
