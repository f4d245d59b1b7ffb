"""The HTML report in a real headless browser (Debian chromium + chromedriver via selenium).

`make test` installs chromium; without it these tests skip on a developer machine
and fail on CI (the CI variable is set), so a missing browser never passes silently.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import browser
import pytest

from drift.report.html_view import KIND_COLORS, OTHER_KIND

if not browser.installed():
    if os.environ.get("CI"):
        pytest.fail("chromium and chromedriver are missing on CI: `make test` should install them", pytrace=False)
    pytest.skip("chromium/chromedriver not installed (make test installs them as root)", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

#: Words (between spaces, slashes and dashes, where a line may break) laid out on more than one line, and
#: version ids (``.id``) broken over lines; both should be empty.
BROKEN = """
var ids=[], words=[], re=/[^\\s|\\/\\u2010-\\u2015-]+/g, node;
document.querySelectorAll('.id').forEach(function(e){if(e.getClientRects().length>1)ids.push(e.textContent);});
var walk=document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while((node=walk.nextNode())){
  if(node.parentElement.closest('script,style')) continue;
  var m; re.lastIndex=0;
  while((m=re.exec(node.data))){
    var r=document.createRange(); r.setStart(node,m.index); r.setEnd(node,m.index+m[0].length);
    var tops=new Set([].filter.call(r.getClientRects(),function(x){return x.width>0;})
                     .map(function(x){return Math.round(x.top);}));
    if(tops.size>1) words.push(m[0]);
  }
}
return [ids, words];
"""


@pytest.fixture(scope="module")
def report(seed_report):
    """The five seed versions: ten version pairs, a summary matrix, majors in most sections."""
    return seed_report


@pytest.fixture(scope="module")
def page(report, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(report.render("html"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    d = browser.start(tmp_path_factory.mktemp("chromium-profile"))
    yield d
    d.quit()


@pytest.fixture
def loaded(driver, page):
    driver.set_window_size(1280, 900)
    browser.requested_urls(driver)  # drop what earlier tests asked for
    driver.get(page.as_uri())
    return driver


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, 1)"


def _rows(driver, severity: str):
    return driver.find_elements(By.CSS_SELECTOR, f'.row[data-severity="{severity}"]')


def test_report_renders_and_saves_a_screenshot(loaded, tmp_path_factory):
    assert loaded.title.startswith("drift report: ")
    assert loaded.find_element(By.TAG_NAME, "h1").text == "drift report"
    assert loaded.find_element(By.CSS_SELECTOR, ".pair-section h2").is_displayed()
    assert loaded.find_element(By.CSS_SELECTOR, "footer code").text.startswith("drift:")
    shot = tmp_path_factory.mktemp("screenshots") / "report.png"
    assert loaded.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    print(f"\nscreenshot of the HTML report: {shot}")


def test_highlighted_words_of_a_known_drift_are_visible(loaded, report):
    top = report.drifted("major")[0]
    span = max(top.spans, key=lambda sp: sp.score)
    # the same words may be marked in a minor pair too: look in the major rows
    marks = [m for m in loaded.find_elements(By.CSS_SELECTOR, f'.row[data-severity="major"] mark.k-{span.kind}')
             if m.text == span.text]
    assert marks, f"no highlighted {span.kind} span {span.text!r}"
    mark = marks[0]
    assert mark.is_displayed()
    assert mark.value_of_css_property("background-color") == _rgb(KIND_COLORS.get(span.kind, OTHER_KIND))
    row = mark.find_element(By.XPATH, "./ancestor::div[contains(@class, 'row')]")
    assert row.get_attribute("data-severity") == "major"


def test_severity_filter_hides_and_shows_rows(loaded):
    same, minor, major, unmatched = (_rows(loaded, s)[0] for s in ("none", "minor", "major", "unmatched"))
    select = Select(loaded.find_element(By.ID, "severity"))
    assert all(r.is_displayed() for r in (same, minor, major, unmatched))
    select.select_by_value("minor")
    assert not same.is_displayed()
    assert minor.is_displayed() and major.is_displayed() and unmatched.is_displayed()
    select.select_by_value("major")
    assert major.is_displayed()
    assert not any(r.is_displayed() for r in (same, minor, unmatched))
    select.select_by_value("all")
    assert same.is_displayed() and minor.is_displayed()


def test_no_request_leaves_the_page(loaded, page):
    assert browser.requested_urls(loaded) == [page.as_uri()]
    assert loaded.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_request_counter_would_see_a_request(driver, tmp_path):
    """The check above can fail: a page that loads an image is caught."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<img src="http://127.0.0.1:9/pixel.png"><p>x</p>', encoding="utf-8")
    browser.requested_urls(driver)
    driver.get(leaky.as_uri())
    assert "http://127.0.0.1:9/pixel.png" in browser.requested_urls(driver)


def test_phone_width_has_no_sideways_scroll(loaded):
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    loaded.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        loaded.refresh()
        width, inner = loaded.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert inner == 390
        assert width <= inner
        a_cell, b_cell = loaded.find_elements(By.CSS_SELECTOR, ".row.pair .cell")[:2]
        assert b_cell.location["y"] > a_cell.location["y"]  # the versions stack instead of squeezing
    finally:
        loaded.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_print_hides_the_filter(loaded):
    loaded.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not loaded.find_element(By.ID, "severity").is_displayed()
        assert loaded.find_element(By.CSS_SELECTOR, ".row.pair").is_displayed()
    finally:
        loaded.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_page_is_self_contained(page):
    html = page.read_text(encoding="utf-8")
    assert "default-src 'none'" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<link" not in html and "@import" not in html


# ---------------------------------------------------------------- triage: summary, next major, phone


def _top(driver, element) -> float:
    return driver.execute_script("return arguments[0].getBoundingClientRect().top", element)


def _below_the_bar(driver, element) -> bool:
    """In view, and not hidden under the sticky controls."""
    bar = driver.execute_script("return document.querySelector('.controls').getBoundingClientRect().bottom")
    return bar - 1 <= _top(driver, element) < driver.execute_script("return innerHeight")


def test_summary_comes_first_and_its_links_open_each_pair(loaded, report):
    summary = loaded.find_element(By.ID, "summary")
    first_section = loaded.find_element(By.CSS_SELECTOR, ".pair-section")
    assert _top(loaded, summary) < _top(loaded, first_section)
    assert summary.location["y"] < 900  # on the first screen
    links = summary.find_elements(By.CSS_SELECTOR, "table.matrix a")
    targets = sorted({link.get_attribute("href").split("#")[1] for link in links})
    assert targets == sorted(f"pair-{n}" for n in range(1, len(report.signature.version_pairs) + 1))
    for link in links[:: max(1, len(links) // 4)]:
        target = link.get_attribute("href").split("#")[1]
        loaded.execute_script("window.scrollTo(0, 0)")
        link.click()
        section = loaded.find_element(By.ID, target)
        assert loaded.execute_script("return location.hash") == f"#{target}"
        assert _below_the_bar(loaded, section.find_element(By.TAG_NAME, "h2")), target
        # the matrix cell counts the majors the section holds
        majors = len(section.find_elements(By.CSS_SELECTOR, '.row[data-severity="major"]'))
        assert link.get_attribute("textContent").split("/")[0] == str(majors)


def test_next_and_previous_major_by_button_and_key(loaded):
    majors = loaded.find_elements(By.CSS_SELECTOR, ".row.sev-major")
    assert len(majors) >= 3
    where = loaded.find_element(By.ID, "major-at")

    def current():
        active = loaded.switch_to.active_element
        assert "current" in active.get_attribute("class") and _below_the_bar(loaded, active)
        return majors.index(next(m for m in majors if m == active))

    loaded.find_element(By.ID, "next-major").click()
    assert current() == 0 and where.text == f"major 1 of {len(majors)}"
    body = loaded.find_element(By.TAG_NAME, "body")
    body.send_keys("n")
    assert current() == 1
    body.send_keys("n")
    assert current() == 2 and where.text == f"major 3 of {len(majors)}"
    body.send_keys("p")
    assert current() == 1
    loaded.find_element(By.ID, "prev-major").click()
    loaded.find_element(By.ID, "prev-major").click()
    assert current() == len(majors) - 1  # before the first comes the last
    assert len(loaded.find_elements(By.CSS_SELECTOR, ".row.current")) == 1


def test_next_major_starts_from_where_the_reader_is(loaded):
    sections = loaded.find_elements(By.CSS_SELECTOR, ".pair-section")
    later = next(s for s in sections[3:] if s.find_elements(By.CSS_SELECTOR, ".row.sev-major"))
    loaded.find_element(By.CSS_SELECTOR, f'#summary a[href="#{later.get_attribute("id")}"]').click()
    loaded.find_element(By.TAG_NAME, "body").send_keys("n")
    active = loaded.switch_to.active_element
    assert active == later.find_elements(By.CSS_SELECTOR, ".row.sev-major")[0]


def test_phone_screenshot_breaks_no_id_and_no_word(loaded, tmp_path_factory):
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    loaded.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        loaded.refresh()
        shot = tmp_path_factory.mktemp("screenshots") / "report-390px.png"
        assert loaded.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
        print(f"\nscreenshot of the HTML report at 390 px: {shot}")
        assert loaded.execute_script("return document.documentElement.scrollWidth") <= 390
        ids, words = loaded.execute_script(BROKEN)
        assert len(loaded.find_elements(By.CSS_SELECTOR, ".id")) >= 10
        assert ids == [] and words == []
        controls = loaded.find_element(By.CSS_SELECTOR, ".controls")
        assert controls.size["height"] < 120  # the sticky bar leaves the phone its screen
    finally:
        loaded.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_broken_word_check_can_fail(driver, tmp_path):
    """The check above sees an id broken over lines, as the old versions table broke them."""
    page = tmp_path / "narrow.html"
    page.write_text('<meta name="viewport" content="width=device-width"><table style="width:120px">'
                    '<tr><td style="overflow-wrap:anywhere"><span>000_de8d6267f4fe40fd</span></td>'
                    '<td>headline words</td></tr></table>', encoding="utf-8")
    driver.get(page.as_uri())
    _, words = driver.execute_script(BROKEN)
    assert "000_de8d6267f4fe40fd" in words
