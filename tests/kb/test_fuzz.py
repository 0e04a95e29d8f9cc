"""Hostile input, fuzzed: no query string makes a public page fail, and no corrupted import file
leaves half-written data or a traceback."""

import json
import random
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article
from glossary.models import Alias, Term
from models_catalog.models import AIModel, Assessment, Feature, License, Organization
from tests.kb.conftest import build_site

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every public page type, feeds and machines' pages included.
FUZZED_PAGES = [
    "home", "search", "matrix", "model list", "model", "compare", "licence", "matrix csv",
    "matrix api",
    "matrix changes", "matrix changes feed", "article list", "article", "article feed",
    "glossary", "term", "glossary api", "sitemap", "robots",
]  # fmt: skip
KNOWN_PARAMETERS = [
    "q", "a", "b", "page", "models", "tag", "sort", "openness", "organization", "modality", "year",
    "commercial", "osi", "partial", "all", "format", "download-weights", "p", "cursor",
]  # fmt: skip
HOSTILE_VALUES = [
    "", " ", "0", "-1", "99999999999999999999999999", "1e308", "NaN", "None", "null",
    "' OR 1=1 --", '"; DROP TABLE models_catalog_aimodel; --', "1; SELECT pg_sleep(5)",
    "weights OR 1", 'NEAR(a b)', '"unterminated', "a AND NOT b", "*", "a*", "-a", "+a +b",
    "(", ")", "()", "a:b", "^", "~", "a & b | !c", "<->", ":*", "\\", "%", "_", "%%",
    "\x00", "a\x00b", "\ufeff", "\u202e", "😀" * 50, "ẞ", "İ", "x" * 5000, "a,b,,c,",
    "llama-test,llama-test", ",", "yes", "partial", "no", "unknown", "n/a",
    "<script>alert(1)</script>", "javascript:alert(1)", "../../etc/passwd", "%00", "%ZZ",
]  # fmt: skip
# Percent-encoded byte sequences that are not valid UTF-8: lone surrogates, overlongs, stray
# continuation bytes, truncated sequences, and bare % signs.
RAW_JUNK = [
    "%ED%A0%80", "%ED%BF%BF", "%C0%AF", "%80", "%FF%FE", "%E2%82", "%", "%2", "%%41", "%u0041",
    "%00", "%0A%0D", "%F4%90%80%80",
]  # fmt: skip

parameter_names = st.one_of(
    st.sampled_from(KNOWN_PARAMETERS), st.text(min_size=0, max_size=20), st.sampled_from(RAW_JUNK)
)
parameter_values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(RAW_JUNK),
    st.integers().map(str),
)


def encode(part):
    # RAW_JUNK is sent as is (already percent-encoded, deliberately broken); anything else is
    # percent-encoded from UTF-8 ("surrogatepass" lets lone surrogates through as bytes).
    if part in RAW_JUNK:
        return part
    return quote(part.encode("utf-8", "surrogatepass"), safe="")


query_strings = st.lists(st.tuples(parameter_names, parameter_values), max_size=8).map(
    lambda pairs: "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)
)
raw_query_strings = st.lists(
    st.one_of(st.sampled_from(RAW_JUNK), st.sampled_from(["&", "=", "&&", "==", ";", "+"])),
    max_size=10,
).map("".join)


@pytest.fixture
def site(db):
    return build_site()


def fetch(client, url, query):
    cache.clear()  # every example reaches the view, not a page cached by an earlier one
    path = url.split("?")[0]
    return client.get(f"{path}?{query}")


@pytest.mark.parametrize("page_type", FUZZED_PAGES)
def test_no_query_string_makes_a_public_page_fail(client, site, page_type):
    @FUZZ
    @given(query=st.one_of(query_strings, raw_query_strings))
    def check(query):
        response = fetch(client, site[page_type], query)
        assert response.status_code < 500, (page_type, query)

    check()


@pytest.mark.parametrize("page_type", ["matrix api", "glossary api"])
def test_json_apis_answer_valid_json_or_a_client_error(client, site, page_type):
    @FUZZ
    @given(query=query_strings)
    def check(query):
        response = fetch(client, site[page_type], query)
        assert response.status_code < 500, query
        if response.status_code == 200:
            assert response["Content-Type"].startswith("application/json")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            json.loads(body)

    check()


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=a%00b", "tag=%00", "models=%00", "page=%00", "q=%ED%A0%80", "q=" + "x" * 20000,
     "download-weights=%00", "year=%00", "sort=%00", "q=" + quote("weights' OR 1=1 --")],
)  # fmt: skip
@pytest.mark.parametrize("page_type", FUZZED_PAGES)
def test_known_hostile_values_never_fail(client, site, page_type, query):
    assert fetch(client, site[page_type], query).status_code < 500


# --- Corrupted import files ------------------------------------------------------------------
CONTENT = Path(settings.KB_CONTENT_DIR)
MATRIX = (CONTENT / "matrix.json").read_bytes()


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (AIModel, Assessment, Feature, License, Organization, Term, Alias, Article)
    }


def assert_refused_cleanly(command, *args, **kwargs):
    """Run a management command on a bad file: it either succeeds, or raises CommandError (the
    clear message manage.py prints without a traceback) and leaves every table as it was."""
    before = row_counts()
    try:
        call_command(command, *args, **kwargs)
    except CommandError as exc:
        assert str(exc).strip()
        assert row_counts() == before
        return str(exc)
    return None


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(MATRIX.rstrip()) - 1))
def test_a_truncated_matrix_file_is_refused_and_writes_nothing(tmp_path_factory, cut):
    path = tmp_path_factory.mktemp("import") / "matrix.json"
    path.write_bytes(MATRIX[:cut])

    message = assert_refused_cleanly("import_matrix", str(path))

    assert message and "nothing was changed" in message


@hypothesis_settings(parent=FUZZ, max_examples=25)
@given(
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(MATRIX) - 1), st.integers(1, 255)),
        min_size=1,
        max_size=5,
    )
)
def test_a_matrix_file_with_flipped_bytes_is_imported_or_refused_cleanly(tmp_path_factory, flips):
    data = bytearray(MATRIX)
    for position, mask in flips:
        data[position] ^= mask
    path = tmp_path_factory.mktemp("import") / "matrix.json"
    path.write_bytes(bytes(data))

    assert_refused_cleanly("import_matrix", str(path))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
MATRIX_DATA = json.loads(MATRIX)


def mutate(data, choices, replacement):
    """Replace one randomly chosen value somewhere inside `data` with `replacement`."""
    node = data
    for choice in choices:
        if isinstance(node, dict) and node:
            key = sorted(node)[choice % len(node)]
        elif isinstance(node, list) and node:
            key = choice % len(node)
        else:
            break
        if not isinstance(node[key], dict | list) or choice % 3 == 0:
            node[key] = replacement
            return data
        node = node[key]
    return data


@hypothesis_settings(parent=FUZZ, max_examples=30)
@given(choices=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6),
       replacement=json_values)  # fmt: skip
def test_a_matrix_file_with_a_wrongly_typed_value_is_imported_or_refused_cleanly(
    tmp_path_factory, choices, replacement
):
    data = mutate(json.loads(MATRIX), choices, replacement)
    path = tmp_path_factory.mktemp("import") / "matrix.json"
    path.write_text(json.dumps(data))

    assert_refused_cleanly("import_matrix", str(path))


@pytest.mark.parametrize("name", ["matrix.json", "glossary.yaml", "articles/is-claude-open-source.md"])
def test_load_content_with_a_corrupted_file_is_refused_and_writes_nothing(tmp_path, name):
    directory = tmp_path / "content"
    shutil.copytree(CONTENT, directory)
    original = (directory / name).read_bytes()
    rng = random.Random(name)
    for attempt in range(6):
        corrupted = bytearray(original)
        if attempt % 2 == 0:
            corrupted = corrupted[: rng.randrange(1, len(original.rstrip()) - 1)]
        else:
            for _ in range(3):
                corrupted[rng.randrange(len(corrupted))] ^= rng.randrange(1, 256)
        (directory / name).write_bytes(bytes(corrupted))

        assert_refused_cleanly("load_content", dir=str(directory))


def test_load_content_refuses_a_truncated_matrix_and_says_why(tmp_path):
    directory = tmp_path / "content"
    shutil.copytree(CONTENT, directory)
    (directory / "matrix.json").write_bytes(MATRIX[: len(MATRIX) // 2])

    message = assert_refused_cleanly("load_content", dir=str(directory))

    assert message.startswith("Nothing was loaded: matrix.json")
    assert row_counts() == {name: 0 for name in row_counts()}


@pytest.mark.parametrize("field", ["note", "value", "verified_on"])
def test_a_nul_character_in_an_imported_cell_is_refused_and_located(tmp_path, field):
    # PostgreSQL refuses NUL in text columns; the importer must not hand one over.
    data = json.loads(MATRIX)
    cell = next(iter(data["models"][0]["cells"].values()))
    cell[field] = f"{cell[field]}\x00" if cell.get(field) else "\x00"
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(data))

    message = assert_refused_cleanly("import_matrix", str(path))

    assert f".{field}: contains a NUL character" in message


def test_a_nul_character_in_an_imported_model_is_refused_and_located(tmp_path):
    data = json.loads(MATRIX)
    data["models"][0]["name"] += "\x00"
    data["models"][0]["description"] = "Desc\x00ription"
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(data))

    message = assert_refused_cleanly("import_matrix", str(path))

    assert "models[0].name: contains a NUL character" in message
    assert "models[0].description: contains a NUL character" in message


def test_load_content_refuses_a_nul_escaped_in_the_glossary_yaml(tmp_path):
    directory = tmp_path / "content"
    shutil.copytree(CONTENT, directory)
    glossary = directory / "glossary.yaml"
    glossary.write_text('- term: "Null\\0byte"\n  definition: "Has a \\0 in it."\n' + glossary.read_text())

    message = assert_refused_cleanly("load_content", dir=str(directory))

    assert message and "NUL" in message


header_values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=100),
    st.sampled_from(['"abc"', 'W/"x", *', "*", "Sun, 06 Nov 1994 08:49:37 GMT",
                     "Sun, 06 Nov 99999 08:49:37 GMT", "bytes=0-", "bytes=-1,5-2", "gzip;q=x"]),
)  # fmt: skip


@pytest.mark.parametrize("page_type", FUZZED_PAGES)
def test_no_request_header_makes_a_public_page_fail(client, site, page_type):
    # Conditional requests, content negotiation and ranges are parsed from these headers.
    @hypothesis_settings(parent=FUZZ, max_examples=15)
    @given(
        if_none_match=header_values,
        if_modified_since=header_values,
        accept=header_values,
        accept_language=header_values,
    )
    def check(if_none_match, if_modified_since, accept, accept_language):
        cache.clear()
        response = client.get(
            site[page_type],
            HTTP_IF_NONE_MATCH=if_none_match,
            HTTP_IF_MODIFIED_SINCE=if_modified_since,
            HTTP_ACCEPT=accept,
            HTTP_ACCEPT_LANGUAGE=accept_language,
            HTTP_RANGE=if_none_match,
        )
        assert response.status_code < 500

    check()


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch", "options", "head"])
@pytest.mark.parametrize("page_type", FUZZED_PAGES)
def test_other_methods_on_public_pages_get_a_client_error_or_an_answer(
    client, site, page_type, method
):
    if method == "head":
        response = client.head(site[page_type])
    else:
        response = getattr(client, method)(
            site[page_type], data="\x00junk=%ZZ", content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code < 500
