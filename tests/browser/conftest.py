"""Browser tests: the real app (``guichet serve``: uvicorn, a SQLite file, the repository's catalogue) driven by
Debian's chromium through Playwright, at 360 px with JavaScript off and on.

Every test here is marked ``browser``. On a developer's machine without /usr/bin/chromium they are skipped; on CI
(``CI=true``) they fail instead: they must never be skipped silently. .ci/browser-deps installs what they need.
Each page records the Content-Security-Policy violations and script errors it meets; a test fails on any of them."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, Response, expect, sync_playwright

from tests.browser.chromium import CHROMIUM, LAUNCH_ARGS, PHONE, REPO, WATCH_CSP, PageFactory

HERE = Path(__file__).resolve().parent


expect.set_options(timeout=10_000)  # a busy CI machine with two workers may take more than Playwright's 5 s


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this directory ``browser``."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} : sur CI les tests navigateur ne sont jamais sautés (lancez .ci/browser-deps)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"le serveur s'est arrêté au démarrage :\n{log.read_text(encoding='utf-8', errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"le serveur ne répond pas sur {url} :\n{log.read_text(encoding='utf-8', errors='replace')}")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``guichet serve`` on a free port of 127.0.0.1: a fresh SQLite file, a files directory, the real catalogue."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} est absent (apt-get install chromium)")
    root = tmp_path_factory.mktemp("guichet")
    port = _free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key != "SMTP_URL"},
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"sqlite:///{root / 'guichet.db'}",
        "CATALOGUE_DIR": str(REPO / "catalogue"),
        "FILES_DIR": str(root / "pieces"),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "GUICHET_ENV": "development",
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    log = root / "serveur.log"
    command = [sys.executable, "-m", "engine.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/", process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    errors = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if "Traceback" in line]
    assert not errors, f"le serveur a levé des exceptions, voir {log}"


@pytest.fixture(scope="session")
def playwright(app_url: str) -> Iterator[Playwright]:
    """The Playwright driver, once per session."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Debian chromium for the whole session."""
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def new_page(browser: Browser, app_url: str) -> Iterator[PageFactory]:
    """Open a page in a fresh context (its own cookie: its own usager), checked for CSP violations at the end.

    ``new_page(js=False, viewport=PHONE, bypass_csp=False)``; a context with ``bypass_csp`` is for axe-core only."""
    opened: list[tuple[Page, list[str], bool]] = []

    def open_page(*, js: bool = True, viewport: dict[str, int] = PHONE, bypass_csp: bool = False) -> Page:
        context = browser.new_context(
            base_url=app_url,
            viewport=viewport,
            java_script_enabled=js,
            bypass_csp=bypass_csp,
            locale="fr-FR",
            timezone_id="Pacific/Noumea",
        )
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda message: _record_console(message.type, message.text, problems))
        page.on("pageerror", lambda error: problems.append(f"erreur JavaScript : {error}"))
        page.on("response", lambda response: _record_response(response, problems))
        opened.append((page, problems, bypass_csp))
        return page

    yield open_page
    for page, problems, bypassed in opened:
        page.context.close()
        if not bypassed:
            assert not problems, "\n".join(problems)


def _record_response(response: Response, problems: list[str]) -> None:
    # A page's own status may be 404 or 422 on purpose; a stylesheet, script or image must always load.
    if response.status >= 400 and response.request.resource_type in ("stylesheet", "script", "image", "font"):
        problems.append(f"ressource en erreur {response.status} : {response.url}")


def _record_console(kind: str, text: str, problems: list[str]) -> None:
    if "Content Security Policy" in text or "securitypolicyviolation" in text:
        problems.append(f"CSP : {text}")
    elif kind == "error" and not text.startswith("Failed to load resource"):
        # 422 (errors shown) and 404 pages log « Failed to load resource »: expected statuses, not faults.
        problems.append(f"console : {text}")


@pytest.fixture(params=[False, True], ids=["sans-js", "avec-js"])
def js(request: pytest.FixtureRequest) -> bool:
    """Whether the page runs JavaScript: every journey is run both ways."""
    return bool(request.param)


@pytest.fixture
def page(js: bool, new_page: PageFactory) -> Page:
    """A 360 px page, once with JavaScript off and once with it on."""
    return new_page(js=js)


@pytest.fixture
def js_page(new_page: PageFactory) -> Page:
    """A 360 px page with JavaScript on."""
    return new_page(js=True)
