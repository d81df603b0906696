"""The web chat in a real browser: headless Debian Chromium asks, reads the chat and the sources panel."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_helpers import (
    ROOT,
    Server,
    chromium,
    documents_in_status,
    open_index_panel,
    read_document,
    seed_embedding_cache,
    start_server,
    wait_for_status,
)

pytestmark = pytest.mark.slow

QUESTION = "Who refused to meet Lloyd Austin in Singapore?"
FOLLOW_UP = "Why was he sanctioned?"
FIRST_SOURCE = "000_cdc7ccf3eb7c2414.txt"
FOLLOW_UP_SOURCE = "001_88b05ed209d663f4.txt"
# The README's picture is refreshed only on request (`make screenshot`), so a test run leaves the tree clean.
README_SCREENSHOT = ROOT / "docs" / "screenshot.png"
WAIT_S = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("browser"), embedding_cache=seed_embedding_cache(tmp_path_factory))
    yield running
    running.stop()


@pytest.fixture
def browser(server: Server) -> Iterator[Any]:
    with chromium() as driver:
        driver.get(server.url)
        yield driver


def text_of(driver: Any, selector: str) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.CSS_SELECTOR, selector).get_attribute("textContent") or "")


def ask_in_page(driver: Any, question: str, until_in_sources: str) -> None:
    """Type the question, press Ask, wait until the sources panel shows `until_in_sources`."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    box = WebDriverWait(driver, WAIT_S).until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    box.clear()
    box.send_keys(question)
    driver.find_element(By.CSS_SELECTOR, "#ask-button").click()
    WebDriverWait(driver, WAIT_S).until(
        lambda d: until_in_sources in text_of(d, "#sources"),
        message=f"the sources panel never showed {until_in_sources!r}",
    )


def click_in_chat(driver: Any, element: Any) -> None:
    """Click an element of the chat once nothing covers it: the chat scrolls itself to its end as an answer comes
    in, and a click meanwhile can land on the chat's frame ("element click intercepted")."""
    from selenium.common.exceptions import ElementClickInterceptedException
    from selenium.webdriver.support.ui import WebDriverWait

    def clicked(d: Any) -> bool:
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        try:
            element.click()
        except ElementClickInterceptedException:
            return False
        return True

    WebDriverWait(driver, WAIT_S).until(clicked, message="something always covered the element in the chat")


def test_ask_shows_quotes_and_highlighted_sources(browser: Any, server: Server, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    ask_in_page(browser, QUESTION, until_in_sources="characters")
    chat = text_of(browser, "#chat")
    sources = text_of(browser, "#sources")
    assert QUESTION in chat
    assert "Li Shangfu" in chat
    assert FIRST_SOURCE in chat  # the answer lists its sources under the quotes
    assert FIRST_SOURCE in sources
    assert re.search(r"line \d+, characters \d+–\d+", sources), sources

    document = read_document(server.docs_dir / FIRST_SOURCE)
    marks = [m.get_attribute("textContent") or "" for m in browser.find_elements(By.CSS_SELECTOR, "#sources mark")]
    assert marks, "no highlighted quote in the sources panel"
    assert any("Li Shangfu" in mark and mark in document for mark in marks), marks
    assert browser.find_element(By.CSS_SELECTOR, "#sources mark").is_displayed()
    assert "Error" not in browser.title

    screenshot = README_SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "screenshot.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000

    ask_in_page(browser, FOLLOW_UP, until_in_sources=FOLLOW_UP_SOURCE)
    chat = text_of(browser, "#chat")
    assert FOLLOW_UP in chat
    assert "sanction" in chat.split(FOLLOW_UP, 1)[1].lower()
    assert FOLLOW_UP_SOURCE in text_of(browser, "#sources")
    assert "Understood as: Why was Li Shangfu sanctioned?" in text_of(browser, "#sources")
    assert "Searched only" not in text_of(browser, "#sources")
    follow_up_document = read_document(server.docs_dir / FOLLOW_UP_SOURCE)
    marks = [m.get_attribute("textContent") or "" for m in browser.find_elements(By.CSS_SELECTOR, "#sources mark")]
    assert any(mark and mark in follow_up_document for mark in marks), marks


def test_a_quote_across_a_paragraph_break_is_one_block_quote(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    ask_in_page(browser, "What would American officials cite as the causes of instability?", "characters")

    quotes = [q.get_attribute("textContent") or "" for q in browser.find_elements(By.CSS_SELECTOR, "#chat blockquote")]
    assert any("very different accounts" in q and "U.S. officials would point" in q for q in quotes), quotes
    assert browser.save_screenshot(str(tmp_path / "paragraphs.png"))


def test_a_question_about_one_document_says_it_searched_only_that_one(browser: Any) -> None:
    ask_in_page(browser, "What do U.S. officials accuse China of, according to the LA Times article?", "characters")

    sources = text_of(browser, "#sources")
    assert "Searched only:" in sources and "003_d94c39d90b50c062.txt" in sources
    assert "bullied its smaller neighbors" in text_of(browser, "#chat")


def test_a_question_about_the_collection_lists_the_documents(browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    ask_in_page(browser, "How many documents are there?", until_in_sources="004_cba8b70d7f73dee2.txt")
    WebDriverWait(browser, WAIT_S).until(  # the answer streams in after the sources
        lambda d: "There are 5 documents:" in text_of(d, "#chat") and "Easy Part" in text_of(d, "#chat"),
        message="no list of the documents",
    )


def test_a_greeting_gets_a_hint_and_no_sources(browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    ask_in_page(browser, QUESTION, until_in_sources="characters")
    ask_in_page(browser, "hi", until_in_sources="")
    WebDriverWait(browser, WAIT_S).until(
        lambda d: "nothing to look up" in text_of(d, "#chat"), message="no hint for a greeting"
    )
    assert text_of(browser, "#sources").strip() == ""


def test_unanswerable_question_says_so(browser: Any) -> None:
    ask_in_page(browser, "What is the recipe for banana bread?", until_in_sources="characters")
    assert "Not found in the documents" in text_of(browser, "#chat")
    assert "do not answer this question" in text_of(browser, "#sources")


def test_empty_question_shows_a_message_not_a_crash(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    ask_in_page(browser, QUESTION, until_in_sources="characters")
    browser.find_element(By.CSS_SELECTOR, "#question textarea").clear()
    browser.find_element(By.CSS_SELECTOR, "#ask-button").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda d: "the question is empty" in text_of(d, "#chat"), message="no message for an empty question"
    )
    ask_in_page(browser, QUESTION, until_in_sources="characters")  # the page still works


def test_a_pasted_question_over_the_limit_is_refused_whole_not_cut(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    long_question = " ".join(["Why did Blinken go to Beijing?"] * 80)  # 2,479 characters; the limit is 2,000
    box = WebDriverWait(browser, WAIT_S).until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    browser.execute_script(  # pasted: set at once, as the browser does, then announced to Gradio
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        box,
        long_question,
    )
    browser.find_element(By.CSS_SELECTOR, "#ask-button").click()

    # The box cut it at 2,000 characters without a word, and the cut question was answered.
    WebDriverWait(browser, WAIT_S).until(
        lambda d: "2,479 characters long; the limit is 2,000" in text_of(d, "#chat"),
        message="no message for a question over the limit",
    )
    assert box.get_attribute("value") == long_question  # left in the box to be shortened
    assert "Ask the documents in seeds" in text_of(browser, "#heading")  # which folder is asked


def test_clicking_an_earlier_answer_or_its_question_shows_its_sources_again(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    ask_in_page(browser, QUESTION, until_in_sources=FIRST_SOURCE)
    ask_in_page(browser, FOLLOW_UP, until_in_sources=FOLLOW_UP_SOURCE)
    assert f"Asked: {FOLLOW_UP}" in text_of(browser, "#sources")

    def shows_again(message: str, asked: str, source: str) -> None:
        clicked = next(m for m in browser.find_elements(By.CSS_SELECTOR, "#chat .message") if message in m.text)
        click_in_chat(browser, clicked)
        WebDriverWait(browser, WAIT_S).until(
            lambda d: f"Asked: {asked}" in text_of(d, "#sources") and source in text_of(d, "#sources"),
            message=f"clicking {message!r} never showed the sources of {asked!r}",
        )

    shows_again("Li Shangfu refused", QUESTION, FIRST_SOURCE)  # the first answer
    assert FOLLOW_UP_SOURCE not in text_of(browser, "#sources")
    shows_again(FOLLOW_UP, FOLLOW_UP, FOLLOW_UP_SOURCE)  # the follow-up's question: its answer's sources


def test_clicking_a_quotes_marker_shows_its_source_card(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    ask_in_page(browser, QUESTION, until_in_sources=FIRST_SOURCE)
    ask_in_page(browser, FOLLOW_UP, until_in_sources=FOLLOW_UP_SOURCE)
    first_answer = next(m for m in browser.find_elements(By.CSS_SELECTOR, "#chat .message") if "Li Shangfu" in m.text)

    # A slow server (CI's was): the card to outline is the clicked answer's, which comes back a second later, not the
    # card [1] of the answer shown at the click.
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    click_in_chat(browser, first_answer.find_element(By.XPATH, ".//strong[normalize-space()='[1]']"))

    def outlined(d: Any) -> bool:
        return "cited" in (d.find_element(By.CSS_SELECTOR, '#sources [data-citation="1"]').get_attribute("class") or "")

    # The first answer's sources come back, and its card [1] is outlined.
    WebDriverWait(browser, WAIT_S).until(
        lambda d: f"Asked: {QUESTION}" in text_of(d, "#sources") and outlined(d),
        message="clicking [1] never outlined the card of its source",
    )
    assert FIRST_SOURCE in text_of(browser, '#sources [data-citation="1"]')

    # Clicked again once the outline has faded: the panel already shows this answer, and the card is outlined again.
    WebDriverWait(browser, WAIT_S).until(lambda d: not outlined(d), message="the outline never faded")
    click_in_chat(browser, first_answer.find_element(By.XPATH, ".//strong[normalize-space()='[1]']"))
    WebDriverWait(browser, WAIT_S).until(outlined, message="a second click on [1] never outlined its card")


def test_clearing_the_chat_with_its_trash_icon_clears_the_sources_too(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    ask_in_page(browser, QUESTION, until_in_sources="characters")
    buttons = browser.find_elements(By.CSS_SELECTOR, "#chat button")
    trash = next(b for b in buttons if (b.get_attribute("aria-label") or "").lower().startswith("clear"))
    trash.click()
    WebDriverWait(browser, WAIT_S).until(
        lambda d: text_of(d, "#sources").strip() == "", message="the sources of a cleared chat stayed"
    )


EXTRA_FILE = "extra_topic.txt"
EXTRA_TEXT = (
    "The Zanzibar Accord on Lighthouse Maintenance\n\n"
    "The Zanzibar Accord on lighthouse maintenance was signed by Admiral Quillfeather in 2031.\n"
)


def rebuild_in_page(driver: Any, expect: str) -> str:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, "#rebuild").click()
    return wait_for_status(driver, lambda text: "rebuilt:" in text and expect in text, repr(expect))


@pytest.fixture
def extra_file(server: Server, browser: Any) -> Iterator[Path]:
    """A document added to the folder (the server does not watch it); removed and re-synced afterwards."""
    path = server.docs_dir / EXTRA_FILE
    path.write_text(EXTRA_TEXT, encoding="utf-8")
    yield path
    path.unlink()
    browser.get(server.url)
    open_index_panel(browser)
    rebuild_in_page(browser, "1 removed")


def test_rebuild_button_syncs_the_index(browser: Any, extra_file: Path) -> None:
    open_index_panel(browser)
    wait_for_status(browser, lambda text: "5 documents" in text, "the 5 seed documents")
    rebuild_in_page(browser, "1 added")
    assert documents_in_status(browser) == 6
    ask_in_page(browser, "Who signed the Zanzibar Accord on lighthouse maintenance?", until_in_sources=EXTRA_FILE)
    assert "Admiral Quillfeather" in text_of(browser, "#chat")
    rebuild_in_page(browser, "Nothing changed")  # a second click finds nothing to do


def test_reloaded_page_shows_the_current_index(browser: Any, server: Server, extra_file: Path) -> None:
    open_index_panel(browser)
    rebuild_in_page(browser, "1 added")
    browser.get(server.url)  # a visitor arriving after the change
    open_index_panel(browser)
    wait_for_status(browser, lambda text: "6 documents" in text, "the 6 documents now indexed", timeout=10)
