"""Image uploads from the admin's Markdown editor, checked by content rather than by the browser.

django-markdownx's own upload view trusts the declared content type and stores SVG as sent; this
one is mounted in its place. An upload is accepted only if Pillow recognises it as PNG, JPEG,
WebP or GIF; it is then decoded and encoded again, which drops metadata (EXIF, text chunks) and
anything appended to or smuggled inside the file (polyglots), and stored under a random name.
"""

import uuid
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.views.decorators.http import require_POST
from PIL import Image, UnidentifiedImageError

from articles.editor_access import staff_only

# Pillow format name -> (extension, save options). Animated GIFs keep their first frame only.
ALLOWED_FORMATS = {
    "PNG": ("png", {"optimize": True}),
    "JPEG": ("jpg", {"quality": 88}),
    "WEBP": ("webp", {"quality": 88}),
    "GIF": ("gif", {}),
}
# Refuse decompression bombs well before Pillow's own (warning-only) threshold.
MAX_PIXELS = 40_000_000


class UploadRejected(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def _open_verified(data):
    try:
        with Image.open(BytesIO(data)) as probe:
            image_format = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRejected(
            "This file is not an image we accept: use PNG, JPEG, WebP or GIF.", status=415
        ) from None
    if image_format not in ALLOWED_FORMATS:
        raise UploadRejected(
            f"{image_format} images are not accepted: use PNG, JPEG, WebP or GIF.", status=415
        )
    # verify() leaves the image unusable, so decode it again from the start.
    try:
        image = Image.open(BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise UploadRejected("This image has too many pixels.", status=413)
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRejected("This image is damaged or incomplete.", status=400) from None
    return image, image_format


def _reencode(image, image_format):
    extension, options = ALLOWED_FORMATS[image_format]
    target_mode = {
        "JPEG": ("RGB", ("RGB", "L")),
        "WEBP": ("RGBA", ("RGB", "RGBA")),
        "PNG": ("RGBA", ("1", "L", "LA", "P", "RGB", "RGBA", "I")),
        "GIF": ("P", ("P", "L")),
    }
    convert_to, keep = target_mode[image_format]
    image = image.convert(convert_to) if image.mode not in keep else image.copy()
    # Pillow writes some of `info` back on save (GIF comments, ICC profiles, EXIF): keep only
    # what the pixels need, so the new file carries no text or metadata from the upload.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    out = BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue(), extension


def store_image(uploaded):
    """Validate and re-encode an uploaded file; save it and return its public URL."""
    max_size = settings.MARKDOWNX_UPLOAD_MAX_SIZE
    if uploaded.size > max_size:
        raise UploadRejected(
            f"This file is too large: the limit is {max_size // (1024 * 1024)} MB.", status=413
        )
    data = uploaded.read(max_size + 1)
    if len(data) > max_size:
        raise UploadRejected("This file is too large.", status=413)
    image, image_format = _open_verified(data)
    content, extension = _reencode(image, image_format)
    name = f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4().hex}.{extension}"
    saved = default_storage.save(name, ContentFile(content))
    return default_storage.url(saved)


@staff_only
@require_POST
def upload_image(request):
    """The editor's image upload: JSON `{"image_code": "![](url)"}`, or `{"error": ...}` and 4xx."""
    uploaded = request.FILES.get("image")
    if uploaded is None:
        return JsonResponse({"error": "No image was sent."}, status=400)
    try:
        url = store_image(uploaded)
    except UploadRejected as rejected:
        return JsonResponse({"error": rejected.message}, status=rejected.status)
    return JsonResponse({"image_code": f"![]({url})"})
