"""Headless Chromium for the end-to-end tests (Debian's chromium and chromium-driver)."""
from __future__ import annotations

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

# Headless, as root, with no background traffic (this machine reaches no other host).
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-dev-shm-usage")


def start_chromium(lang: str = "fr-FR", *, accept_languages: str | None = None, console_log: bool = False):
    """A WebDriver on a new headless Chromium speaking ``lang`` (and sending ``accept_languages``
    when given); ``console_log`` keeps the page console for ``driver.get_log("browser")``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--lang={lang}"):
        options.add_argument(flag)
    if accept_languages:
        options.add_experimental_option("prefs", {"intl.accept_languages": accept_languages})
    if console_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    return driver
