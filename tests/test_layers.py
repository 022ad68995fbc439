"""The packages form layers: each imports only the ones below it, so no import cycle exists.

Every import counts: at module level, inside functions and under ``TYPE_CHECKING``, because a
lazy or type-only import still means the lower package knows the upper one.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("model", "scenarios", "agents", "experiments", "hydra_plugins", "empowernet")
"""The project's packages, lowest first: a package may import only those before it."""
OUTSIDE_MODEL = ("hydra", "omegaconf", "mesa")
"""Libraries of the outer layers: the mechanics in ``model/`` know nothing of them."""


def imported_modules(path: Path) -> set[str]:
    """The absolute names of every module ``path`` imports, wherever the import stands."""
    package = path.relative_to(ROOT).parts[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(package if node.level else node.module or "")
    return names


def package_imports(package: str) -> set[str]:
    """The top-level names (project packages and libraries) that ``package`` imports."""
    return {name.split(".")[0] for path in sorted((ROOT / package).rglob("*.py"))
            for name in imported_modules(path)} - {package}


def import_graph() -> dict[str, set[str]]:
    """Each project package and the project packages it imports."""
    return {package: package_imports(package) & set(LAYERS) for package in LAYERS}


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` as a path that ends where it starts, or [] if none."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return [*path[path.index(node):], node]
        if node in done:
            return []
        for target in sorted(graph[node]):
            found = visit(target, [*path, node])
            if found:
                return found
        done.add(node)
        return []

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return []


def test_the_layers_are_the_installed_packages() -> None:
    installed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = installed["packages"]
    assert sorted({package.split(".")[0] for package in packages}) == sorted(LAYERS)
    assert all((ROOT.joinpath(*package.split(".")) / "__init__.py").is_file()
               for package in packages)
    subpackages = {str(init.parent.relative_to(ROOT)).replace("/", ".")
                   for layer in LAYERS for init in (ROOT / layer).rglob("*/__init__.py")}
    assert subpackages <= set(packages)  # a subpackage left out would not be installed


def test_the_packages_have_no_import_cycle() -> None:
    assert cycle(import_graph()) == []


def test_each_package_imports_only_the_layers_below_it() -> None:
    graph = import_graph()
    upward = {package: sorted(graph[package] - set(LAYERS[:LAYERS.index(package)]))
              for package in LAYERS}
    assert upward == {package: [] for package in LAYERS}


def test_the_model_knows_nothing_of_hydra_omegaconf_or_mesa() -> None:
    assert package_imports("model") & set(OUTSIDE_MODEL) == set()


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) == []
