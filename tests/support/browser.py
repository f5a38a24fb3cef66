"""Debian's headless chromium, driven by Selenium through the system's chromedriver.

deploy/browser/install.sh installs both (deploy/test.sh runs it). The browser starts with a fresh
profile and without any of its own network traffic (the machine's network is closed anyway).
Screenshots go to var/artifacts/browser/<test>/ (CI keeps the tree); each path is printed.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.support.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = ROOT / "var" / "artifacts" / "browser"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1300,1700")


def require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (requirements/browser.txt)")
    if missing:
        message = f"browser tests need {', '.join(missing)}: run deploy/browser/install.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class Browser:
    def __init__(self, profile: Path, artifacts: Path):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look anything up
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(60)
        self.artifacts = artifacts
        shutil.rmtree(artifacts, ignore_errors=True)
        artifacts.mkdir(parents=True)

    def open(self, url: str) -> None:
        self.driver.get(url)

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{name}.png"
        self.driver.save_screenshot(str(path))
        print(f"screenshot: {path}")
        return path

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def alert_open(self) -> bool:
        from selenium.common.exceptions import NoAlertPresentException

        try:
            self.driver.switch_to.alert
        except NoAlertPresentException:
            return False
        return True

    def close(self) -> None:
        self.driver.quit()


@pytest.fixture
def browser(request, tmp_path):
    require_browser()
    b = Browser(tmp_path / "chromium-profile", ARTIFACTS / request.node.name)
    yield b
    b.close()
