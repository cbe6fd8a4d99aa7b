"""Test settings: the real settings with a fixed key and fast hashing."""

import os

# Tests see the same settings on every machine: no checkout .env.
os.environ.setdefault("ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from .settings import *  # noqa: F403

# Tests do not run collectstatic; serve sources as they are.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests may lose their last commits in a crash: skip waiting for the disk, on
# their own connections only (the server keeps its durable defaults).
DATABASES["default"]["OPTIONS"] = {  # noqa: F405
    **DATABASES["default"].get("OPTIONS", {}),  # noqa: F405
    "options": DATABASES["default"]["OPTIONS"]["options"]  # noqa: F405
    + " -c synchronous_commit=off",
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Each test process keeps its rendered reports in memory, never on disk
# between runs (tests/conftest.py empties it for every test).
CACHES = {
    **CACHES,  # noqa: F405
    "reports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reports"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
