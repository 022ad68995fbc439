"""The fast tier stays fast: a test that starts a subprocess, itself or through a fixture of its
module, is marked ``slow`` (README, Development)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).parent
PROCESS_NAMES = {"subprocess", "Popen", "CLI"}
STARTS_A_SERVER = "served"  # tests/test_dashboard.py: the dashboard in a process of its own


def _starts_a_process(node: ast.FunctionDef) -> bool:
    """Whether the function's code (not its strings) names the subprocess module, Popen or
    the CLI's path, or calls the dashboard's server."""
    return any((isinstance(n, ast.Name) and n.id in PROCESS_NAMES)
               or (isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                   and n.func.id == STARTS_A_SERVER) for n in ast.walk(node))


def _is_slow(decorators: list[ast.expr]) -> bool:
    return any("slow" in ast.unparse(d) for d in decorators)


def _is_fixture(node: ast.FunctionDef) -> bool:
    return any("fixture" in ast.unparse(d) for d in node.decorator_list)


def fast_tests_starting_a_process(source: str) -> list[str]:
    """The names of the tests of one test module (its ``source``) that start a subprocess,
    in their own body or in a fixture of the module they take, and are not marked slow."""
    tree = ast.parse(source)
    if re.search(r"^pytestmark\s*=.*slow", source, re.MULTILINE):
        return []
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    spawning = {node.name for node in functions
                if _is_fixture(node) and _starts_a_process(node)}
    found = []
    for node in functions:
        if not node.name.startswith("test_") or _is_slow(node.decorator_list):
            continue
        arguments = {a.arg for a in node.args.args}
        if _starts_a_process(node) or arguments & spawning:
            found.append(node.name)
    return found


def test_every_test_that_starts_a_subprocess_is_marked_slow() -> None:
    unmarked = {path.name: names for path in sorted(TESTS.glob("test_*.py"))
                if (names := fast_tests_starting_a_process(path.read_text()))}
    assert unmarked == {}


def test_a_subprocess_in_a_test_or_in_its_fixture_is_found() -> None:
    source = '''
import subprocess, pytest

@pytest.fixture
def folder(tmp_path):
    subprocess.run(["true"])
    return tmp_path

def test_direct():
    subprocess.run(["true"])

def test_through_the_fixture(folder):
    pass

@pytest.mark.slow
def test_marked():
    subprocess.run(["true"])

def test_in_process(tmp_path):
    pass
'''
    assert fast_tests_starting_a_process(source) == ["test_direct", "test_through_the_fixture"]
