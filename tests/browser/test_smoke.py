import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_loads_and_every_navigation_link_answers(page, live_server, screenshot):
    response = page.goto("/")
    assert response.status == 200
    nav_links = page.locator("nav[aria-label='Main'] a")
    hrefs = [nav_links.nth(i).get_attribute("href") for i in range(nav_links.count())]
    assert len(hrefs) == 4
    screenshot(page, "home")
    for href in hrefs:
        assert page.goto(href).status == 200, href
        assert page.locator("h1").count() >= 1
