import datetime
import xml.etree.ElementTree as ET

import pytest

from models_catalog.charts import openness_chart
from tests.factories import AIModelFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _points(chart):
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own output
    return {a.get("data-slug"): a for a in root.iter(f"{SVG}a")}


def test_points_are_placed_left_to_right_by_release_date():
    AIModelFactory(slug="old", openness="closed", release_date=datetime.date(2020, 1, 1))
    AIModelFactory(slug="new", openness="closed", release_date=datetime.date(2024, 6, 1))
    points = _points(openness_chart())
    assert float(points["old"].get("data-x")) < float(points["new"].get("data-x"))


def test_points_are_placed_in_bands_from_open_source_at_top_to_closed_at_bottom():
    day = datetime.date(2023, 1, 1)
    AIModelFactory(slug="os", openness="open-source", release_date=day)
    AIModelFactory(slug="ow", openness="open-weights", release_date=day)
    AIModelFactory(slug="cl", openness="closed", release_date=day)
    points = _points(openness_chart())
    ys = [float(points[s].get("data-y")) for s in ("os", "ow", "cl")]
    assert ys == sorted(ys) and len(set(ys)) == 3


def test_each_point_links_to_its_model_page_and_has_a_title():
    model = AIModelFactory(slug="llama-x", name="Llama X", release_date=datetime.date(2024, 1, 2))
    point = _points(openness_chart())["llama-x"]
    assert point.get("href") == model.get_absolute_url() == "/models/llama-x/"
    assert "Llama X" in point.find(f"{SVG}title").text


def test_svg_has_title_desc_and_labelledby():
    AIModelFactory(release_date=datetime.date(2024, 1, 2))
    root = ET.fromstring(str(openness_chart().svg))  # noqa: S314
    ids = root.get("aria-labelledby").split()
    found = {el.get("id") for el in root if el.tag in (f"{SVG}title", f"{SVG}desc")}
    assert set(ids) == found and len(ids) == 2


def test_models_without_release_date_are_listed_not_plotted():
    AIModelFactory(slug="dated", release_date=datetime.date(2024, 1, 2))
    AIModelFactory(slug="undated", release_date=None)
    chart = openness_chart()
    assert set(_points(chart)) == {"dated"}
    assert [m.slug for m in chart.undated] == ["undated"]
    assert "1 without a release date" in str(chart.svg)


def test_chart_with_only_undated_models_still_draws():
    AIModelFactory(release_date=None)
    chart = openness_chart()
    assert _points(chart) == {} and chart


def test_chart_and_its_table_are_on_the_catalogue_page(client):
    AIModelFactory(slug="m1", name="Model One", release_date=datetime.date(2024, 1, 2))
    html = client.get("/models/").content.decode()
    assert 'data-slug="m1"' in html and "The chart as a table" in html
