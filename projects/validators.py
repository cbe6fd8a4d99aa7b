"""Checks of what staff upload for a project: the file's content decides,
never its name."""

import warnings

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_PHOTO_SIZE = 10 * 1024 * 1024
# What Pillow names the formats a phone or a camera gives.
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_photo(file):
    """A real JPEG, PNG or WebP of at most 10 MB."""
    if getattr(file, "_committed", False):
        return  # already stored, and checked when it was uploaded
    if file.size > MAX_PHOTO_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_PHOTO_SIZE)},
        )
    if photo_format(file) not in PHOTO_FORMATS:
        raise ValidationError(_("Upload a photo as a JPEG, PNG or WebP image."), code="not_a_photo")


def photo_format(file):
    """The format Pillow reads in the whole file, or None when it is no image
    (or one so large in pixels that it would exhaust the server's memory)."""
    from PIL import Image

    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind = image.format
                image.verify()
        return kind
    except Exception:
        # Whatever the parser raises, the file is not what it claims to be.
        return None
    finally:
        file.seek(position)
