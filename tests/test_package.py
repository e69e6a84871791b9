"""Package-wide contracts: __all__ sorted and complete, core never imports shells, no pickle."""

from __future__ import annotations
import __future__

import ast
import importlib
import pkgutil
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import fanzha

SRC = Path(fanzha.__file__).parent
SHELLS = (
    "fanzha.store",
    "fanzha.api",
    "fanzha.web",
    "fanzha.cli",
    "fanzha.batch",
    "fanzha.intake",
)
CORE = (
    "fanzha.taxonomy",
    "fanzha.screening",
    "fanzha.warning",
    "fanzha.demo",
    "fanzha.funds",
    "fanzha.ingest",
    "fanzha.boosting",
    "fanzha.graph",
    "fanzha.phonerisk",
    "fanzha.records",
    "fanzha.exports",
    "fanzha.operations",
    "fanzha.outreach",
    "fanzha.stats",
)


def _isort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


def _modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages([str(SRC)], prefix="fanzha.")
        if "data" not in info.name
        and "migrations" not in info.name
        and not info.name.endswith("__main__")
    )


@pytest.mark.parametrize("name", _modules())
def test_all_is_sorted_and_defined(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert list(exported) == sorted(exported, key=_isort_key), f"{name}.__all__ is not sorted"
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.__all__ names missing {symbol}"


PACKAGES = sorted(
    f"fanzha.{path.parent.name}"
    for path in SRC.glob("*/__init__.py")
    if path.parent.name not in ("data", "migrations")
)
ROOT = SRC.parents[1]


@pytest.mark.parametrize("package", PACKAGES)
def test_public_namespace_is_exactly_all(package: str) -> None:
    """What a package shows (names not starting with _, submodules aside) is its __all__."""
    module = importlib.import_module(package)
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, ModuleType)
        and not isinstance(value, __future__._Feature)
    }
    # a lazy package (``fanzha.api``) defines its names on first use, through __getattr__
    undefined = sorted(name for name in module.__all__ if not hasattr(module, name))
    assert public <= set(module.__all__) and not undefined, (
        f"{package}: public but not in __all__ {sorted(public - set(module.__all__))}, "
        f"in __all__ but not defined {undefined}"
    )


def _names_imported_by_others(package: str) -> set[str]:
    """Names imported ``from package import …`` outside the package and its own tests."""
    short = package.split(".")[1]
    own = (SRC / short, ROOT / "tests" / short)
    names: set[str] = set()
    for folder in ("src", "tests", "bench", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if any(path.is_relative_to(mine) for mine in own) or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == package:
                    names.update(alias.name for alias in node.names)
    return names


def _console_script_names(package: str) -> set[str]:
    """Names pyproject.toml's console scripts take from ``package`` (``fanzha.cli:main``)."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    targets = (target.split(":") for target in scripts.get("scripts", {}).values())
    return {name for module, name in targets if module == package}


@pytest.mark.parametrize("package", PACKAGES)
def test_all_lists_only_what_other_packages_use(package: str) -> None:
    """__all__ is the surface other packages (and bench/, scripts/, other packages' tests) use;
    a package's own modules and tests import its private modules."""
    used = _names_imported_by_others(package) | _console_script_names(package)
    unused = sorted(set(importlib.import_module(package).__all__) - used)
    assert not unused, f"{package} exports names no other package uses: {unused}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", CORE)
def test_core_never_imports_a_shell(package: str) -> None:
    folder = SRC / package.split(".")[1]
    for path in folder.rglob("*.py"):
        bad = {name for name in _imports(path) if name.startswith(SHELLS)}
        assert not bad, f"{path} imports shell modules {bad}"


def test_no_pickle_anywhere() -> None:
    for path in SRC.rglob("*.py"):
        imported = _imports(path)
        assert "pickle" not in imported and "joblib" not in imported, (
            f"{path} imports pickle/joblib"
        )
        assert "allow_pickle=True" not in path.read_text(encoding="utf-8"), path


def test_web_never_imports_the_api() -> None:
    for path in (SRC / "web").rglob("*.py"):
        bad = {name for name in _imports(path) if name.startswith("fanzha.api")}
        assert not bad, f"{path} imports {bad}: shared tables belong in a core module"


@pytest.mark.parametrize("module", ["roles.py", "errors.py", "masking.py"])
def test_core_modules_never_import_a_shell(module: str) -> None:
    bad = {name for name in _imports(SRC / module) if name.startswith(SHELLS)}
    assert not bad, f"{module} imports shell modules {bad}"
