"""Writes of the projects app that do more than save a form."""

import io
import warnings

from django.core.files.base import ContentFile

# The longest side of a photo on the web, in pixels.
WEB_SIZE = 1600
JPEG_QUALITY = 85


def web_photo(file):
    """The uploaded image as the site serves it: turned upright as the camera
    held it, at most 1600 px on its longest side, a JPEG without EXIF (which
    may carry where and when it was taken). The file is checked first
    (validators.validate_photo)."""
    from PIL import Image, ImageOps

    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(file) as original:
            image = ImageOps.exif_transpose(original)
            image.thumbnail((WEB_SIZE, WEB_SIZE), Image.Resampling.LANCZOS)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # JPEG has no transparency: lay the photo on white.
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode != "RGB":
        image = image.convert("RGB")
    output = io.BytesIO()
    # No exif= and no icc_profile=: Pillow writes neither unless asked.
    image.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(output.getvalue(), name="photo.jpg")
