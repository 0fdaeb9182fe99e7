from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def click_and_wait(browser, element, timeout=15):
    """Click something that loads a new page and wait until the new page has replaced the old one:
    reading the page right after click() races the navigation."""
    old_page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, timeout).until(expected_conditions.staleness_of(old_page))
    WebDriverWait(browser, timeout).until(lambda b: b.execute_script("return document.readyState") == "complete")
