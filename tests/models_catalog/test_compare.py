import pytest

from tests.factories import AIModelFactory, AssessmentFactory, FeatureFactory

pytestmark = pytest.mark.django_db


def _pair(n_features=2):
    a, b = AIModelFactory(slug="claude", name="Claude"), AIModelFactory(slug="llama", name="Llama")
    features = FeatureFactory.create_batch(n_features)
    for feature in features:
        AssessmentFactory(model=a, feature=feature, value="no")
        AssessmentFactory(model=b, feature=feature, value="yes" if feature == features[0] else "no")
    return a, b, features


def test_compare_shows_both_models_side_by_side_with_differences_marked_in_text(client):
    _pair()
    response = client.get("/models/compare/?a=claude&b=llama")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Claude vs Llama" in html
    assert html.count('class="compare__differs"') == 1
    assert html.count("≠ differs") >= 2  # the legend plus the differing row


@pytest.mark.parametrize("query", ["", "?a=claude", "?a=claude&b=claude", "?a=claude&b=nope",
                                   "?a=%3Cscript%3E&b=llama", "?a=" + "x" * 5000 + "&b=llama"])
def test_bad_or_missing_models_get_a_message_never_a_500(client, query):
    _pair()
    response = client.get("/models/compare/" + query)
    assert response.status_code in (200, 400)
    assert b"<script>" not in response.content
    if query:
        assert b'class="notice"' in response.content


def test_model_page_offers_a_compare_form_that_gives_a_shareable_url(client):
    _pair()
    html = client.get("/models/claude/").content.decode()
    assert 'action="/models/compare/"' in html and 'name="b"' in html
    assert '<option value="claude" selected>' in html


@pytest.mark.parametrize("n", [2, 20])
def test_compare_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, n):
    _pair(n)
    with django_assert_max_num_queries(5):
        assert client.get("/models/compare/?a=claude&b=llama").status_code == 200


def test_every_assessed_cell_has_a_permalink_and_cite_text_on_matrix_and_model_page(client):
    from tests.factories import AIModelFactory, AssessmentFactory, FeatureFactory

    model = AIModelFactory(slug="claude", name="Claude", featured=True)
    feature = FeatureFactory(name="Download weights", slug="download-weights")
    AssessmentFactory(model=model, feature=feature, value="no",
                      sources=[{"url": "https://example.org/x", "title": "Vendor FAQ"}])
    for url in ("/matrix/", "/models/claude/"):
        html = client.get(url).content.decode()
        assert "/models/claude/#cell-download-weights" in html, url
        assert "Cite:</strong> Open vs Closed AI, “Claude — Download weights: No”, source: Vendor FAQ, verified" in html, url
