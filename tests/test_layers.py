"""The layers point one way: models <- domain services <- views, API, CLI; and no import loops in app/.

Read from the source (every import, also those inside functions), so nothing needs to run."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in APP.rglob("*.py")}


def imported(module: str) -> set[str]:
    """The app modules that `module` imports (`from app import x` names the submodule x when there is one)."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imported(module) for module in MODULES}


def test_the_graph_is_read():
    assert "app.models" in GRAPH["app.storage.documents"]
    assert "app.archive.intake" in GRAPH["app.archive.commands"]


def test_models_import_neither_views_nor_security():
    offending = {
        (module, target) for module, targets in GRAPH.items() if module.startswith("app.models")
        for target in targets if target.startswith(("app.views", "app.security"))
    }
    assert offending == set()


def test_no_import_cycle_in_app():
    assert find_cycle(GRAPH) == []


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One loop of imports as a path of modules, or []."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module], _ = "open", path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (loop := visit(target)):
                return loop
        state[module], _ = "done", path.pop()
        return []

    for module in sorted(graph):
        if module not in state and (loop := visit(module)):
            return loop
    return []


def test_the_cycle_finder_finds_a_loop():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []
