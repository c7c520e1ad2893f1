"""Production readiness: the deploy checks pass with production settings, static files collect with hashes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each test starts manage.py in a subprocess with the production settings (collectstatic compresses every file):
# seconds each, so outside the fast suite.
pytestmark = pytest.mark.slow


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "loyalty_site.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "loyalty.example.com",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        **extra,
    }


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    """HSTS, SSL redirect, secure cookies, a real mail backend, CSP, hosts and secret: no warning at all."""
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_console_mail_backend(tmp_path):
    """With a console mail backend the deploy checks fail with mail.E001."""
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path, EMAIL_URL="consolemail://")
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stderr + result.stdout


@pytest.mark.parametrize("proxy", ["false", "true"])
def test_a_tls_proxy_can_take_over_the_redirect(tmp_path, proxy):
    """Behind a proxy that redirects itself: SECURE_SSL_REDIRECT=false plus the forwarded-proto header."""
    env = _production_env(tmp_path, SECURE_SSL_REDIRECT="false", USE_X_FORWARDED_PROTO=proxy)
    result = _manage(["check", "--deploy"], env)
    assert result.returncode == 0, result.stderr


def test_collectstatic_with_the_manifest_storage(tmp_path):
    """WhiteNoise's compressed manifest storage collects every file, the vendored Chart.js source map included."""
    result = _manage(["collectstatic", "--noinput", "-v", "0"], _production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    static = tmp_path / "static"
    manifest = (static / "staticfiles.json").read_text()
    for name in (
        "css/app.css",
        "js/charts.js",
        "vendor/chartjs/chart.umd.min.js",
        "vendor/chartjs/chart.umd.min.js.map",
    ):
        assert f'"{name}"' in manifest
    assert list((static / "vendor" / "chartjs").glob("chart.umd.min.*.js.gz"))
