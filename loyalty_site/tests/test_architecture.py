"""The layering the README promises, checked on the source (no Django, no database).

Pure modules compute and never touch Django, even through the project modules they import; admin, views, API views
and commands read and write through selectors and services only, never with an ORM query of their own; `customers`
never imports `analytics`.
"""

import ast
from collections import deque
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("analytics", "customers", "loyalty_site")
DJANGO_PACKAGES = ("django", "rest_framework", "drf_spectacular", "django_tasks_db", "environ")

PURE_MODULES = (
    "analytics.facts",
    "analytics.rfm.maths",
    "analytics.scoring.features",
    "analytics.scoring.bgnbd",
    "analytics.scoring.candidates",
    "analytics.scoring.metrics",
    "analytics.scoring.selection",
    "analytics.scoring.artifacts",
    "analytics.scoring.gammagamma",
    "analytics.recommendations.ranking",
    "analytics.recommendations.tuning",
    "analytics.recommendations.customer_lists",
    "analytics.campaigns.stats",
    "analytics.monitoring.drift",
    "customers.imports.options",
    "customers.imports.parsing",
    "customers.imports.preview",
    "customers.imports.detection",
    "customers.imports.vocabulary",
    "customers.demo.generator",
    "customers.demo.catalogue",
)
# Where requests and commands arrive: they parse input, call a selector or a service, and render the result.
ENTRY_POINTS = ("analytics/api", "analytics/web", "analytics/management", "customers/management")
MANAGERS = ("objects", "_default_manager", "_base_manager")


def _file_of(module: str) -> Path | None:
    """The source file of a project module (a package's __init__.py), or None when there is none."""
    path = ROOT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, module: str) -> set[str]:
    """Every module named by an import statement anywhere in the file (function-level imports included), and for
    `from package import name` the submodule package.name too, when it is one."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from ..a import b
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            if source == "__future__":
                continue
            names.add(source)
            names.update(f"{source}.{alias.name}" for alias in node.names if _file_of(f"{source}.{alias.name}"))
    return names


def _with_parent_packages(module: str) -> list[str]:
    """Importing a.b.c runs a/__init__.py and a/b/__init__.py first."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _django_import_chains(start: str) -> list[str]:
    """Import chains from `start` through project modules to a Django package, e.g. "a → b → django.db"."""
    chains: list[str] = []
    seen = {start}
    queue: deque[tuple[str, ...]] = deque([(start,)])
    while queue:
        chain = queue.popleft()
        path = _file_of(chain[-1])
        if path is None:
            continue
        for imported in sorted(_imports(path, chain[-1])):
            top = imported.partition(".")[0]
            if top in DJANGO_PACKAGES:
                chains.append(" → ".join([*chain, imported]))
            elif top in PROJECT_PACKAGES:
                for module in _with_parent_packages(imported):
                    if module not in seen:
                        seen.add(module)
                        queue.append((*chain, module))
    return chains


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_import_nothing_from_django(module):
    """A pure module, with every project module it imports (and their packages), imports no Django at all."""
    assert _file_of(module) is not None, f"{module} does not exist: update PURE_MODULES"
    chains = [chain for start in _with_parent_packages(module) for chain in _django_import_chains(start)]
    assert chains == []


def _manager_uses(path: Path) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS
    ]


def test_admin_views_api_and_commands_run_no_orm_query_of_their_own():
    """No module under the API, the pages, the commands, and no admin.py uses a model manager (`.objects`)."""
    files = [path for folder in ENTRY_POINTS for path in sorted((ROOT / folder).rglob("*.py"))]
    files += sorted(path for package in PROJECT_PACKAGES for path in (ROOT / package).rglob("admin.py"))
    assert len(files) > 20  # the folders are where this test expects them
    assert [use for path in files for use in _manager_uses(path)] == []


def test_customers_never_imports_analytics():
    """No module of the customers app, its tests included, imports analytics."""
    offenders = [
        f"{path.relative_to(ROOT)}: {imported}"
        for path in sorted((ROOT / "customers").rglob("*.py"))
        for imported in sorted(_imports(path, ".".join(path.relative_to(ROOT).with_suffix("").parts)))
        if imported.partition(".")[0] == "analytics"
    ]
    assert offenders == []


def test_the_checks_see_an_import_when_there_is_one():
    """The import walk finds Django behind a project module (the selectors import the ORM) and analytics imports."""
    assert any(chain.endswith("django.db.models") for chain in _django_import_chains("analytics.scoring.selectors"))
    assert "customers.models" in _imports(_file_of("analytics.pipeline.steps"), "analytics.pipeline.steps")
    assert _manager_uses(_file_of("analytics.scoring.selectors"))
