"""The HTML report in real headless Chromium: it renders offline with no console error, the
filters narrow the table, matrix links filter, drifted rows expand, and an AWS value holding
a <script> tag stays text. DRIFTQ_SCREENSHOT=docs/report.png refreshes the README picture."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from driftq.finalize import finalize
from driftq.model import Change, Finding
from tests.report.browser import Browser, chromium_path
from tests.support import reports as est


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    binary = chromium_path()
    if binary is None:
        pytest.skip("Debian's chromium is not installed (scripts/ensure-services installs it)")
    b = Browser(binary)
    yield b
    b.close()


def _instance(n: int, instance_type: str) -> Finding:
    return Finding(
        kind="drifted",
        account="production",
        account_id=est.PROD_ID,
        region="us-west-2",
        service="ec2",
        resource_type="aws_instance",
        resource_id=f"i-0{n}9f3c2a1b",
        address=f'module.app.aws_instance.worker["{n}"]',
        state="s3://prod-terraform-state/infrastructure/terraform.tfstate",
        changes=[Change("instance_type", "m6i.large", instance_type)],
    )


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    db = f"sqlite:///{out / 'history.db'}"
    prod = [
        est.drifted_sg(),
        est.drifted_pab(),
        _instance(1, "m6i.xlarge"),
        _instance(2, "t3.large"),
    ]
    staging = [est.missing_role(), est.unmanaged_vpc()]
    previous = est.run_info("20250301T113000Z-1a2b3c")
    finalize(est.config(), previous, est.results(), out / "prev", database_url=db)
    finalize(
        est.config(),
        est.run_info("20250301T120000Z-4d5e6f", 30),
        est.results(prod=prod, staging=staging),
        out / "run",
        database_url=db,
    )
    return out / "run" / "report.html"


VISIBLE = "document.querySelectorAll('#findings-table tbody.finding:not([hidden])').length"


def test_renders_offline_without_errors_and_script_values_stay_text(
    browser: Browser, report_page: Path
) -> None:
    browser.open(report_page)
    assert browser.evaluate("document.title").startswith("driftq critical")
    assert browser.evaluate(VISIBLE) == 6
    assert browser.evaluate("document.getElementById('shown-count').textContent") == "6"
    assert browser.evaluate("document.scripts.length") == 1  # ours; the tag value is text
    text = browser.evaluate("document.body.textContent")
    assert est.XSS in text
    assert browser.evaluate("document.querySelectorAll('.matrix td.cell').length") == 15
    assert browser.evaluate("document.querySelectorAll('.matrix td.critical').length") >= 2
    assert browser.problems() == []


def test_filters_narrow_the_table(browser: Browser, report_page: Path) -> None:
    browser.open(report_page)
    browser.type_into("#filter-text", "worker")
    assert browser.evaluate(VISIBLE) == 2
    browser.type_into("#filter-text", ' ["2"]')  # every word must match
    assert browser.evaluate(VISIBLE) == 1
    browser.evaluate("document.getElementById('filter-reset').click()")
    assert browser.evaluate(VISIBLE) == 6
    browser.evaluate(
        "var s = document.querySelector('select[data-filter=kind]');"
        "s.value = 'drifted'; s.dispatchEvent(new Event('change'))"
    )
    assert browser.evaluate(VISIBLE) == 4
    browser.evaluate(
        "var s = document.querySelector('select[data-filter=account]');"
        "s.value = 'staging'; s.dispatchEvent(new Event('change'))"
    )
    assert browser.evaluate(VISIBLE) == 0
    assert browser.evaluate("document.getElementById('no-match').hidden") is False
    assert browser.problems() == []


def test_matrix_cells_link_to_their_findings_and_diffs_expand(
    browser: Browser, report_page: Path
) -> None:
    browser.open(report_page)
    browser.evaluate(
        'document.querySelector(\'.matrix a[href*="account=staging"][href*="eu-west-1"]\').click()'
    )
    assert browser.evaluate(VISIBLE) == 1
    assert browser.evaluate("document.querySelector('select[data-filter=region]').value") == (
        "eu-west-1"
    )
    browser.evaluate("location.hash = ''; document.getElementById('filter-reset').click()")
    row = "document.querySelector('tbody.finding[data-type=aws_security_group] details')"
    assert browser.evaluate(f"{row}.open") is False
    browser.evaluate(f"{row}.querySelector('summary').click()")
    assert browser.evaluate(f"{row}.open") is True
    assert browser.evaluate(f"{row}.querySelectorAll('table.diff tr.change').length") >= 1
    assert browser.problems() == []


def test_screenshot(browser: Browser, report_page: Path, tmp_path: Path) -> None:
    browser.open(report_page)
    browser.evaluate(
        "document.querySelector('tbody.finding[data-type=aws_security_group] summary').click()"
    )
    target = Path(os.environ.get("DRIFTQ_SCREENSHOT") or tmp_path / "report.png")
    browser.screenshot(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
