"""The subscribe page's form in headless Chromium, with and without JavaScript,
posting to the real service; the confirmation link opened and confirmed in the browser."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from community_digest.service.origin import allowed_origins
from tests.browser.hubpages import axe_violations
from tests.browser.static_host import served
from tests.digest_send.smtp_server import SmtpServer

from .conftest import link_in, row, wait_for_mail

SUBSCRIBE_PAGE = "---\ntitle: Subscribe to the digest\n---\nThe digest brings what is new to your inbox.\n"


def build(hub_dir: Path) -> Path:
    from generator.engine.run import build_site

    (hub_dir / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (hub_dir / "content" / "pages" / "subscribe.md").write_text(SUBSCRIBE_PAGE, encoding="utf-8")
    build_site(hub_dir / "mkdocs.yml", site_dir=hub_dir / "site", strict=False)
    return hub_dir / "site"


@pytest.fixture
def site(hub_dir: Path) -> Iterator[str]:
    with served(build(hub_dir)) as base:
        yield base


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_subscribe_from_the_site_and_confirm_in_the_browser(
    new_context, site: str, make_service, port: int, smtp: SmtpServer, db: sqlite3.Connection, javascript: bool
) -> None:
    # As `--allow-origin` does for a site previewed on this machine.
    service = make_service(origins=allowed_origins(["https://hub.example.org/", f"http://127.0.0.1:{port}/", site]))
    context = new_context(java_script_enabled=javascript)
    hosts: set[str] = set()
    context.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page = context.new_page()
    page.goto(f"{site}pages/subscribe/")
    page.get_by_label("E-mail address (required)").fill("ana@example.org")
    page.get_by_label("Name (optional, to greet you)").fill("Ana <Souza>")
    page.get_by_label("Language").select_option("fr")
    page.get_by_label("Mentoring").check()
    page.get_by_label("Quarterly").check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(f"{service.url}subscribe")
    assert page.get_by_role("heading", level=1).inner_text() == "Consultez votre boîte de réception"
    person = row(db, "ana@example.org")
    assert person["status"] == "pending"

    link = link_in(wait_for_mail(smtp, 1)[0])
    page.goto(link)
    assert row(db, "ana@example.org")["status"] == "pending"  # opening the link changes nothing
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    page.get_by_role("heading", name="Vous êtes abonné·e").wait_for()
    person = row(db, "ana@example.org")
    assert (person["status"], person["name"], person["language"], person["topics"], person["frequency"]) == (
        "active", "Ana <Souza>", "fr", "mentoring", "quarterly")  # fmt: skip
    assert hosts <= {urlsplit(site).netloc, urlsplit(service.url).netloc}  # nothing from elsewhere


def test_the_browser_checks_the_address_before_sending(new_context, site: str, service, smtp: SmtpServer,
                                                       db: sqlite3.Connection) -> None:  # fmt: skip
    page = new_context().new_page()
    page.goto(f"{site}pages/subscribe/")
    page.get_by_label("E-mail address (required)").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    field = page.get_by_label("E-mail address (required)")
    assert field.evaluate("input => !input.validity.valid")
    assert page.url == f"{site}pages/subscribe/"
    assert db.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0] == 0


def test_the_form_has_no_serious_accessibility_problem(new_context, site: str, axe_script: str) -> None:
    page = new_context().new_page()
    page.goto(f"{site}pages/subscribe/")
    assert axe_violations(page, axe_script) == []


def test_without_a_service_the_page_says_how_to_subscribe_by_mail(hub_dir: Path) -> None:
    config_file = hub_dir / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    del config["extra"]["hub"]["subscriptions"]
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    html = (build(hub_dir) / "pages" / "subscribe" / "index.html").read_text(encoding="utf-8")
    assert "<form" not in html.split('class="hub-subscribe"', 1)[1].split("</section>", 1)[0]
    assert 'To subscribe, write to <a href="mailto:digest@hub.test?subject=Subscribe">digest@hub.test</a>' in html


def test_a_translated_subscribe_page_has_the_form_in_its_language(hub_dir: Path) -> None:
    config_file = hub_dir / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["extra"]["hub"]["languages"] = ["en", "fr"]
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    (hub_dir / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (hub_dir / "content" / "pages" / "abonnement.md").write_text(
        "---\ntitle: S'abonner à la lettre\nlang: fr\ntranslation_of: pages/subscribe\n---\nLa lettre.\n",
        encoding="utf-8",
    )
    site = build(hub_dir)
    (french,) = [path for path in site.rglob("index.html") if "abonnement" in str(path)]
    html = french.read_text(encoding="utf-8")
    assert '<label for="subscribe-email">Adresse e-mail (obligatoire)</label>' in html
    assert '<option value="fr" selected>Français</option>' in html
    assert "Chaque trimestre" in html and 'action="http://127.0.0.1:' in html
