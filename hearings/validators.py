from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_PROTOCOL_SIZE = 10 * 1024 * 1024

# The first bytes of each accepted kind of file: the name alone proves nothing.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
}


def validate_protocol_file(file):
    if getattr(file, "_committed", False):
        return  # already stored and checked when it was uploaded
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            _("Upload the protocol as a PDF, JPEG or PNG file."), code="invalid_extension"
        )
    if file.size > MAX_PROTOCOL_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(MAX_PROTOCOL_SIZE),
            },
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]) or not (
        _parses(file, extension)
    ):
        raise ValidationError(
            _("The file's content is not a real %(kind)s file."),
            code="invalid_content",
            params={"kind": extension.upper()},
        )


def _parses(file, extension):
    """Whether the whole file reads as what its first bytes claim: a PDF
    header in front of HTML (or anything else) is not a protocol."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        if extension == "pdf":
            from pypdf import PdfReader

            # Lenient with the small slips scanners make; a file without a
            # PDF's structure (objects, a catalogue, pages) still fails.
            return len(PdfReader(file, strict=False).pages) > 0
        from PIL import Image

        with Image.open(file) as image:
            image.verify()
        return True
    except Exception:
        # Whatever the parser raises, the file is not what it claims to be.
        return False
    finally:
        file.seek(position)
