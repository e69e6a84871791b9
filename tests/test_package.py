"""Package-wide contracts: __all__ sorted and complete, core never imports shells, no pickle."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import fanzha

SRC = Path(fanzha.__file__).parent
SHELLS = ("fanzha.store", "fanzha.api", "fanzha.web", "fanzha.cli", "fanzha.batch")
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


@pytest.mark.parametrize("package", CORE)
def test_package_init_reexports_private_modules(package: str) -> None:
    module = importlib.import_module(package)
    for info in pkgutil.iter_modules(module.__path__):
        if info.name.startswith("_"):
            private = importlib.import_module(f"{package}.{info.name}")
            missing = set(private.__all__) - set(module.__all__)
            assert not missing, f"{package} does not re-export {sorted(missing)} of {info.name}"


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
