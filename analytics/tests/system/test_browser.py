"""Every page in a real browser (Debian's Chromium driven by Playwright) on the demo data and on an empty install.

The browser console must stay clean (errors, failed loads and Content-Security-Policy violations all count).
Screenshots of each page go to $SCREENSHOT_DIR (default: a temporary folder).
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests themselves are
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "browser-pw-123"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (/usr/bin/chromium); scripts/test installs it with apt-get."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright  # the browser tests' own dependency

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Browser:
    """A page plus the console problems seen so far and a screenshot helper."""

    def __init__(self, page, base_url: str, screenshot_dir: Path, prefix: str):
        self.page, self.base_url, self.dir, self.prefix = page, base_url, screenshot_dir, prefix
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"{page.url}: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"{page.url}: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"{r.url}: {r.failure}"))

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=self.dir / f"{self.prefix}-{name}.png", full_page=True)

    def login(self, username: str) -> None:
        self.go("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def make_browser(browser, live_server, screenshot_dir):
    contexts = []

    def make(prefix: str, width: int = 1280, height: int = 900) -> Browser:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return Browser(context.new_page(), live_server.url, screenshot_dir, prefix)

    yield make
    for context in contexts:
        context.close()


def _charts_drawn(page) -> None:
    """Every declared chart became a canvas Chart.js drew on, not the fallback text."""
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() > 0
    assert page.locator(".chart-fallback").count() == 0
    for i in range(canvases.count()):
        box = canvases.nth(i).bounding_box()
        assert box
        assert box["width"] > 100
        assert box["height"] > 100


def test_every_page_on_the_demo_data(make_browser, django_user_model, tmp_path):
    """Every page works in Chromium on the demo data, on a desktop and a phone, with a clean console."""
    call_command("load_demo", "--file", str(tmp_path / "demo.csv"), verbosity=0)
    django_user_model.objects.create_superuser("analyst", "", PASSWORD)
    b = make_browser("demo")
    page = b.page
    b.login("analyst")

    # Dashboard: KPIs and three charts.
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert page.locator(".kpi-value").first.inner_text() == "50"
    _charts_drawn(page)
    b.shot("dashboard")

    # Customers: a segment link from the dashboard, then search and sort with the form.
    page.locator("a.badge").first.click()
    page.wait_for_load_state("networkidle")
    assert "segment=" in page.url
    page.get_by_label("Search").fill("1001")
    page.get_by_label("Sort by").select_option("score")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Segment").select_option("")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table tbody tr").first.locator("th").inner_text().startswith("1001")
    b.shot("customers")
    page.get_by_role("link", name="1001", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Buy again").is_visible()
    assert page.locator(".score-bar-fill").evaluate("el => el.style.width").endswith("%")
    b.shot("customer-detail")

    # Loyalty lookup (the seed's page).
    b.go("/loyalty/")
    page.get_by_label("Customer id").fill("1001")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_load_state("networkidle")
    assert re.fullmatch(r"0\.\d{3}|1\.000", page.locator("#loyalty-score").inner_text())
    b.shot("loyalty-lookup")

    # Recommendations with autocomplete (htmx fills the datalist as you type).
    b.go("/recommendations/")
    page.get_by_label("Product", exact=True).press_sequentially("mil", delay=50)
    page.locator("#product-options option").first.wait_for(state="attached")
    assert page.locator("#product-options option").first.get_attribute("value") == "Milk"
    page.get_by_label("Product", exact=True).fill("  APPLE ")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Bought together with Apple").is_visible()
    assert page.locator("#recommendations-table tbody tr").count() >= 5
    b.shot("recommendations")
    page.get_by_label("Product", exact=True).fill("Chese")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="Cheese").is_visible()

    # Model runs: list, detail with every chart, then "Train now" and its job page.
    b.go("/models/")
    b.shot("models")
    page.locator("table tbody a").first.click()
    page.wait_for_load_state("networkidle")
    _charts_drawn(page)
    assert page.locator("#metrics-table tbody tr").count() == 8
    b.shot("model-detail")
    b.go("/models/")
    page.get_by_role("button", name="Train now").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#job-state")).to_have_text("Succeeded", timeout=60_000)
    b.shot("training-job")

    # Imports and the API documentation.
    b.go("/imports/")
    assert page.get_by_role("link", name="demo.csv").is_visible()
    b.shot("imports")
    page.get_by_role("link", name="demo.csv").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#rejected-table tbody tr").count() == 7
    b.shot("import-detail")
    b.go("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    b.shot("api-docs")

    # The dashboard on a phone.
    phone = make_browser("phone", width=390, height=844)
    phone.login("analyst")
    phone.page.get_by_role("button", name="Menu").click()
    assert phone.page.locator("#site-nav").get_by_role("link", name="Customers", exact=True).is_visible()
    phone.shot("dashboard")

    assert b.problems + phone.problems == []


def test_an_empty_install_explains_what_to_do(make_browser, django_user_model):
    """On an empty install every page says what is missing instead of failing."""
    django_user_model.objects.create_user("newcomer", "", PASSWORD)
    b = make_browser("empty")
    page = b.page
    b.login("newcomer")
    assert page.get_by_role("heading", name="No purchases yet").is_visible()
    b.shot("dashboard")
    for path, heading in [
        ("/customers/", "No customers match"),
        ("/models/", "No model trained yet"),
        ("/imports/", "No imports yet"),
    ]:
        b.go(path)
        assert page.get_by_role("heading", name=heading).is_visible(), path
    b.go("/loyalty/?customer_id=1001")
    assert "No loyalty model has been trained yet" in page.locator(".alert").inner_text()
    b.go("/recommendations/?product=Milk")
    assert "Unknown product" in page.locator(".alert").inner_text()
    b.go("/customers/1001/")
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert [p for p in b.problems if "404" not in p] == []
