from pathlib import Path

from tests.hubkit import ARTICLE, PERSON, write_hub


def test_small_hub_builds_article_page(tmp_path: Path) -> None:
    from generator.engine.run import build_site

    config = write_hub(tmp_path, {
        "people/ana.md": PERSON.format(name="Ana Lima"),
        "articles/first.md": ARTICLE.format(title="First steps", date="2025-01-02", author="ana"),
    })  # fmt: skip
    build_site(config, strict=True)
    page = (tmp_path / "site" / "articles" / "first" / "index.html").read_text()
    assert "First steps" in page
    assert 'href="../../people/ana/"' in page
