"""The editor's image upload and Markdown preview endpoints: staff only, and uploads are checked
by their content, re-encoded and stored under random names."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("markdownx_upload")
MARKDOWNIFY_URL = reverse("markdownx_markdownify")
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def image_bytes(image_format="PNG", size=(8, 6), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None).save(
        buffer, format=image_format, **save_options
    )
    return buffer.getvalue()


def png_with_text_chunk(text):
    """A valid PNG carrying `text` in a tEXt chunk (the kind of metadata re-encoding must drop)."""
    data = image_bytes("PNG")
    payload = b"Comment\x00" + text
    chunk = struct.pack(">I", len(payload)) + b"tEXt" + payload
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + payload) & 0xFFFFFFFF)
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + chunk + data[iend:]


def upload(client, name, content, content_type="image/png"):
    return client.post(
        UPLOAD_URL, {"image": SimpleUploadedFile(name, content, content_type=content_type)}, **XHR
    )


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def stored_path(response):
    match = re.fullmatch(r"!\[\]\((?P<url>[^)]+)\)", response.json()["image_code"])
    assert match, response.json()
    url = match.group("url")
    assert url.startswith("/media/uploads/")
    return url.removeprefix("/media/")


def test_upload_is_403_for_anonymous(client):
    response = upload(client, "a.png", image_bytes())
    assert response.status_code == 403
    assert response.json()["error"]


def test_upload_is_403_for_a_logged_in_non_staff_user(client):
    client.force_login(UserFactory())
    assert upload(client, "a.png", image_bytes()).status_code == 403


def test_markdownify_is_403_for_anonymous(client):
    response = client.post(MARKDOWNIFY_URL, {"content": "**bold**"}, **XHR)
    assert response.status_code == 403


def test_markdownify_is_403_for_non_staff(client):
    client.force_login(UserFactory())
    assert client.post(MARKDOWNIFY_URL, {"content": "**bold**"}).status_code == 403


def test_markdownify_renders_for_staff_through_the_site_renderer(staff_client):
    response = staff_client.post(MARKDOWNIFY_URL, {"content": "## Hi\n\n**bold**"}, **XHR)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="hi">Hi</h2>' in html
    assert "<strong>bold</strong>" in html
    assert "no-store" in response["Cache-Control"]


def test_markdownify_refuses_get(staff_client):
    assert staff_client.get(MARKDOWNIFY_URL).status_code == 405


def test_markdownify_refuses_huge_input(staff_client):
    response = staff_client.post(MARKDOWNIFY_URL, {"content": "a" * 300_000})
    assert response.status_code == 413


def test_a_real_png_is_accepted_re_encoded_and_stored_under_a_random_name(staff_client):
    original = png_with_text_chunk(b"secret-metadata")
    response = upload(staff_client, "my holiday photo.png", original)
    assert response.status_code == 200, response.content
    path = stored_path(response)
    assert re.fullmatch(r"uploads/[0-9a-f]{32}\.png", path)
    assert "holiday" not in path
    with default_storage.open(path) as stored:
        data = stored.read()
    assert data != original
    assert b"secret-metadata" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (8, 6)


def test_two_uploads_of_the_same_file_get_different_names(staff_client):
    first = stored_path(upload(staff_client, "a.png", image_bytes()))
    second = stored_path(upload(staff_client, "a.png", image_bytes()))
    assert first != second


@pytest.mark.parametrize(
    "image_format,extension", [("JPEG", "jpg"), ("WEBP", "webp"), ("GIF", "gif")]
)
def test_jpeg_webp_and_gif_are_accepted(staff_client, image_format, extension):
    response = upload(staff_client, f"x.{extension}", image_bytes(image_format), "image/whatever")
    assert response.status_code == 200, response.content
    assert stored_path(response).endswith(f".{extension}")


def test_jpeg_exif_is_stripped(staff_client):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"  # Make
    response = upload(staff_client, "p.jpg", image_bytes("JPEG", exif=exif.tobytes()))
    with default_storage.open(stored_path(response)) as stored:
        data = stored.read()
    assert b"SpyCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()


SVG = b"""<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">
<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"""


@pytest.mark.parametrize(
    "name,content,content_type",
    [
        ("drawing.svg", SVG, "image/svg+xml"),
        ("drawing.png", SVG, "image/png"),
        ("page.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("page.html", b"<!doctype html><p>hi", "text/html"),
        ("empty.png", b"", "image/png"),
        ("notes.txt", b"just text", "text/plain"),
    ],
)
def test_non_images_are_refused_with_a_clear_json_error(staff_client, name, content, content_type):
    response = upload(staff_client, name, content, content_type)
    assert 400 <= response.status_code < 500
    assert isinstance(response.json()["error"], str) and response.json()["error"]
    assert not default_storage.exists("uploads")


def test_svg_is_refused_even_when_labelled_as_svg(staff_client):
    response = upload(staff_client, "x.svg", SVG, "image/svg+xml")
    assert response.status_code == 415
    assert "PNG, JPEG, WebP or GIF" in response.json()["error"]


def test_other_real_image_formats_are_refused(staff_client):
    response = upload(staff_client, "x.bmp", image_bytes("BMP"), "image/bmp")
    assert response.status_code == 415
    assert "BMP" in response.json()["error"]


def test_a_truncated_png_is_refused(staff_client):
    data = image_bytes("PNG", size=(64, 64))
    response = upload(staff_client, "cut.png", data[: len(data) // 2])
    assert 400 <= response.status_code < 500
    assert response.json()["error"]
    assert not default_storage.exists("uploads")


def test_an_html_polyglot_after_a_real_png_is_re_encoded_without_the_payload(staff_client):
    payload = b"<html><script>alert('polyglot')</script></html>"
    response = upload(staff_client, "poly.png", image_bytes("PNG") + payload)
    # The pixels are a valid PNG, so it is accepted; what is stored is only the re-encoded image.
    assert response.status_code == 200
    with default_storage.open(stored_path(response)) as stored:
        assert b"polyglot" not in stored.read()


def test_a_gif_with_a_script_comment_is_re_encoded_without_it(staff_client):
    data = image_bytes("GIF", comment=b"<script>alert('gifar')</script>")
    assert b"gifar" in data
    response = upload(staff_client, "c.gif", data)
    assert response.status_code == 200
    with default_storage.open(stored_path(response)) as stored:
        assert b"gifar" not in stored.read()


def test_an_oversized_file_is_refused(staff_client, settings):
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = 1024
    data = image_bytes("PNG", size=(300, 300), mode="RGB")
    big = data + b"\x00" * 2048 if len(data) <= 1024 else data
    response = upload(staff_client, "big.png", big)
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_an_image_with_too_many_pixels_is_refused(staff_client, monkeypatch):
    from articles import uploads

    monkeypatch.setattr(uploads, "MAX_PIXELS", 100)
    response = upload(staff_client, "wide.png", image_bytes("PNG", size=(20, 20)))
    assert response.status_code == 413


def test_a_request_without_a_file_is_a_clear_400(staff_client):
    response = staff_client.post(UPLOAD_URL, {}, **XHR)
    assert response.status_code == 400
    assert response.json()["error"] == "No image was sent."
