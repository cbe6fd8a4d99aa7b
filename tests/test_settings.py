import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def coverage_env():
    """What lets coverage follow a subprocess, when it measures (make test)."""
    return {k: v for k, v in os.environ.items() if k == "COVERAGE_PROCESS_CONFIG"}


def run_manage(*args, **env):
    """Run manage.py in a clean environment holding only what is given."""
    clean = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:54329/portal"
        ),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "ENV_FILE": "",  # only what is given here, not the checkout's .env
        **coverage_env(),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY="x" * 60,
    )
    assert result.stdout.strip().endswith("False")


def test_check_deploy_passes_with_production_variables():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k3y-" + "a9Zq" * 16,
        ALLOWED_HOSTS="birinchi-may.kg",
        CSRF_TRUSTED_ORIGINS="https://birinchi-may.kg",
        EMAIL_URL="smtp+tls://portal:secret@smtp.example.kg:587",
        CLIENT_IP_HEADER="HTTP_X_REAL_IP",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_the_rate_limit_cannot_see_addresses():
    result = run_manage(
        "check",
        "--deploy",
        SECRET_KEY="k3y-" + "a9Zq" * 16,
        ALLOWED_HOSTS="birinchi-may.kg",
        EMAIL_URL="smtp://localhost:25",
    )
    assert "portal.W001" in result.stdout + result.stderr


def test_collectstatic_gives_compressed_hashed_files(tmp_path):
    result = run_manage(
        "collectstatic", "--no-input", SECRET_KEY="x" * 60, STATIC_ROOT=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    css = list((tmp_path / "vendor" / "bootstrap-5.3.9").glob("bootstrap.min.*.css"))
    assert css, "no hashed Bootstrap stylesheet"
    assert (tmp_path / "vendor" / "bootstrap-5.3.9" / f"{css[0].name}.gz").exists()
    assert (tmp_path / "staticfiles.json").exists()


def test_several_servers_share_media_and_cache_through_the_environment():
    """MEDIA_BUCKET puts uploads on S3-compatible storage; CACHE_URL names a
    cache every server shares (README, "More than one server")."""
    show = (
        "from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND']); "
        "print(settings.STORAGES['default'].get('OPTIONS', {}).get('bucket_name')); "
        "print(settings.CACHES['default']['BACKEND']); "
        "print(settings.CACHES['reports']['BACKEND'])"
    )
    shared = run_manage(
        "shell",
        "-c",
        show,
        SECRET_KEY="x" * 60,
        MEDIA_BUCKET="ayil-media",
        MEDIA_ENDPOINT_URL="https://storage.example.kg",
        CACHE_URL="redis://cache.example.kg:6379/0",
    )
    lines = shared.stdout.split()
    assert lines[-4:-2] == ["storages.backends.s3.S3Storage", "ayil-media"], shared.stderr
    assert "redis" in lines[-2].lower()
    assert lines[-1] == "django.core.cache.backends.db.DatabaseCache"
    alone = run_manage("shell", "-c", show, SECRET_KEY="x" * 60).stdout.split()
    assert alone[-4:] == [
        "django.core.files.storage.FileSystemStorage",
        "None",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.db.DatabaseCache",
    ]
