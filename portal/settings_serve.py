"""`make serve`: the production settings on this machine, over plain HTTP.

For measuring what residents will get (Lighthouse, page weight, timings):
DEBUG off, static files collected, compressed and hashed, served by
WhiteNoise behind gunicorn. Only what plain http://localhost needs differs
from production: no HTTPS redirect or HSTS, cookies not marked Secure. Never
use it on a server.
"""

import os
import secrets
import tempfile
from pathlib import Path

_BASE_DIR = Path(__file__).resolve().parent.parent


def _local_secret(path):
    """A secret made once for this checkout and kept (the file is git-ignored).

    gunicorn's workers start together: the file appears whole (a link to a
    finished temporary file) or not at all, and the first one wins.
    """
    if not path.exists():
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as draft:
            draft.write(secrets.token_urlsafe(50) + "\n")
        os.chmod(draft.name, 0o600)
        try:
            os.link(draft.name, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft.name)
    return path.read_text().strip()


# Whatever a development .env or the shell says: production's DEBUG.
os.environ["DEBUG"] = "0"
os.environ["SECRET_KEY"] = _local_secret(
    Path(os.environ.get("SERVE_SECRET_FILE", _BASE_DIR / ".serve-secret"))
)

from .settings import *  # noqa: E402, F403

DEBUG = False
# Subdomains of localhost too: the national bench gives each municipality one.
ALLOWED_HOSTS = [".localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
