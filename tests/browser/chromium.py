"""Where the browser tests find their tools, and how they start chromium: Debian's package, never a download."""

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core from ``npm ci`` (version pinned in package.json and package-lock.json)."""

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  console.error(`securitypolicyviolation: ${event.violatedDirective} ${event.blockedURI} (${where})`);
});
"""
"""Runs in every document before its own scripts (Playwright injects it: the CSP does not apply to it). A violation
the page meets is written to the console, where the page fixture collects it with the browser's own CSP messages."""

PageFactory = Callable[..., Page]
"""The ``new_page`` fixture: ``new_page(js=True, viewport=PHONE, bypass_csp=False) -> Page``."""
