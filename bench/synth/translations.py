"""A share of a synthetic hub's articles and stories translated into French, for the
languages benchmark: the same hub with and without a second language."""

from __future__ import annotations

import re
from pathlib import Path

from .corpus import Corpus, Doc
from .flavors import HUB_LAYOUT, doc_path, resolve_links
from .yamlish import front_matter

LANGUAGE = "fr"


def translated_docs(corpus: Corpus, share: float) -> list[Doc]:
    """Every n-th published item, so that `share` of them (0 to 1) get a translation."""
    if not 0 <= share <= 1:
        raise ValueError(f"--translated: expected a share between 0 and 1, got {share}")
    items = [doc for doc in corpus.items() if not doc.draft]
    count = round(len(items) * share)
    return [items[index * len(items) // count] for index in range(count)] if count else []


def write_translations(corpus: Corpus, out: Path, share: float) -> int:
    """Write the translations beside their originals and make the hub bilingual; returns how many."""
    docs = translated_docs(corpus, share)
    for doc in docs:
        fields = {**doc.fields, "title": f"{doc.title} (fr)", "lang": LANGUAGE, "translation_of": doc.key}
        fields.pop("featured", None)
        path = doc_path(Doc(doc.section, f"{doc.slug}-{LANGUAGE}", fields), HUB_LAYOUT)
        (out / "content" / path).write_text(front_matter(fields, resolve_links(doc.body, path, HUB_LAYOUT)),
                                            encoding="utf-8", newline="\n")  # fmt: skip
    if docs:
        config = out / "mkdocs.yml"
        text = re.sub(r"^(  hub:\n)", rf"\g<1>    languages: [en, {LANGUAGE}]\n", config.read_text(encoding="utf-8"),
                      count=1, flags=re.M)  # fmt: skip
        config.write_text(text, encoding="utf-8")
    return len(docs)
