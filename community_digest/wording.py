"""The digest's own words, per language; dates and periods through Babel.

Kept as data (not gettext catalogs) because the digest has a few dozen strings and
editors should be able to read and change them in one place. A language without
an entry uses English.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date, format_interval

from generator.content.records import Period

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "featured": "Featured",
        "articles": "Articles",
        "stories": "Partner stories",
        "people": "New in the community",
        "partners": "From our partners",
        "article": "Article",
        "story": "Partner story",
        "person": "New profile",
        "partner": "From {source}",
        "more": "{count} more on the hub",
        "greeting": "Hello %%name%%",
        "web_copy": "Read this issue on the web",
        "read": "Read",
        "by": "by {names}",
        "via": "via {source}",
        "for_topics": "Picked for your topics: {topics}.",
        "why": "You receive the {site} digest because you subscribed to it.",
        "unsubscribe": "Unsubscribe",
        "preferences": "Change what you receive",
        "links": "Links",
        "default_title": "{site} digest — {period}",
        "preheader": "{count} new on {site}: {first}",
    },
    "fr": {
        "featured": "À la une",
        "articles": "Articles",
        "stories": "Récits de partenaires",
        "people": "Nouveaux dans la communauté",
        "partners": "Chez nos partenaires",
        "article": "Article",
        "story": "Récit de partenaire",
        "person": "Nouveau profil",
        "partner": "Publié par {source}",
        "more": "{count} de plus sur le hub",
        "greeting": "Bonjour %%name%%",
        "web_copy": "Lire ce numéro en ligne",
        "read": "Lire",
        "by": "par {names}",
        "via": "via {source}",
        "for_topics": "Choisi pour vos thèmes : {topics}.",
        "why": "Vous recevez la lettre de {site} parce que vous vous y êtes abonné·e.",
        "unsubscribe": "Se désabonner",
        "preferences": "Modifier vos choix",
        "links": "Liens",
        "default_title": "La lettre de {site} — {period}",
        "preheader": "{count} nouveautés sur {site} : {first}",
    },
    "de": {
        "featured": "Im Fokus",
        "articles": "Artikel",
        "stories": "Geschichten von Partnern",
        "people": "Neu in der Community",
        "partners": "Von unseren Partnern",
        "article": "Artikel",
        "story": "Partnergeschichte",
        "person": "Neues Profil",
        "partner": "Von {source}",
        "more": "{count} weitere im Hub",
        "greeting": "Hallo %%name%%",
        "web_copy": "Diese Ausgabe im Web lesen",
        "read": "Lesen",
        "by": "von {names}",
        "via": "über {source}",
        "for_topics": "Ausgewählt für Ihre Themen: {topics}.",
        "why": "Sie erhalten den Digest von {site}, weil Sie ihn abonniert haben.",
        "unsubscribe": "Abmelden",
        "preferences": "Auswahl ändern",
        "links": "Links",
        "default_title": "{site} Digest — {period}",
        "preheader": "{count} neu auf {site}: {first}",
    },
    "pt": {
        "featured": "Destaques",
        "articles": "Artigos",
        "stories": "Histórias de parceiros",
        "people": "Novos na comunidade",
        "partners": "Dos nossos parceiros",
        "article": "Artigo",
        "story": "História de parceiro",
        "person": "Novo perfil",
        "partner": "De {source}",
        "more": "Mais {count} no hub",
        "greeting": "Olá %%name%%",
        "web_copy": "Leia esta edição na web",
        "read": "Ler",
        "by": "por {names}",
        "via": "via {source}",
        "for_topics": "Escolhido para os seus temas: {topics}.",
        "why": "Você recebe o boletim do {site} porque se inscreveu.",
        "unsubscribe": "Cancelar inscrição",
        "preferences": "Mudar as suas escolhas",
        "links": "Links",
        "default_title": "Boletim do {site} — {period}",
        "preheader": "{count} novidades no {site}: {first}",
    },
}


def words(language: str) -> dict[str, str]:
    """The labels for `language` ("pt-BR" uses "pt"), English where one is missing."""
    base = WORDS["en"]
    chosen = WORDS.get(language) or WORDS.get(language.split("-")[0].split("_")[0], {})
    return {**base, **chosen}


def _locale(language: str) -> str:
    return language.replace("-", "_")


def period_text(period: Period, language: str) -> str:
    """The days the period covers, ends included, e.g. "1 July – 30 September 2025"."""
    first = period.start.date()
    last = (period.end - timedelta(seconds=1)).date()
    if first == last:
        return format_date(first, "long", locale=_locale(language))
    # CLDR puts thin spaces around the dash; plain spaces read the same in every client.
    return format_interval(first, last, "yMMMMd", locale=_locale(language)).replace("\u2009", " ")


def default_title(site: str, period: Period, language: str) -> str:
    """An issue's title when it has no intro (no editors' title), in `language`."""
    return words(language)["default_title"].format(site=site, period=period_text(period, language))


def date_text(moment: datetime, language: str) -> str:
    return format_date(moment.date(), "long", locale=_locale(language))
