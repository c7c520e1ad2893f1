"""Project health: migrations match the models, checks are clean, settings refuse unsafe production."""

import ast
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = ("customers", "analytics")


@pytest.mark.django_db
def test_migrations_match_the_models():
    """makemigrations --check finds nothing to do."""
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_system_checks_are_clean():
    """The system checks report no issue at WARNING level."""
    out = StringIO()
    call_command("check", "--fail-level", "WARNING", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.parametrize("name", sorted(name for name, app in get_commands().items() if app in PROJECT_APPS))
def test_every_project_command_has_help(name):
    """Every project management command builds its parser and documents itself."""
    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("manage.py", name)
    assert command.help
    assert parser.format_help()


def _settings_import(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "loyalty_site.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_when_debug_is_off():
    """Without DEBUG, a missing SECRET_KEY stops the app at start-up with a clear message."""
    result = _settings_import({"DEBUG": "false", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_without_a_secret_key():
    """With DEBUG on the settings load without a SECRET_KEY."""
    result = _settings_import({"DEBUG": "true", "SECRET_KEY": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_every_test_says_what_it_checks():
    """Every test function has a docstring that opens with a one-line summary of the behaviour it checks."""
    tests, missing = 0, []
    for path in sorted(ROOT.glob("*/tests/**/test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                tests += 1
                summary = (ast.get_docstring(node) or "").split("\n\n")[0]
                if not summary or "\n" in summary:
                    missing.append(f"{path.relative_to(ROOT)}::{node.name}")
    assert tests > 200  # the glob found the test modules
    assert missing == []
