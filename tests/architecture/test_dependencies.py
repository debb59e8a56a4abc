"""The apps' dependencies point one way: the apps that hold records (products, subjects,
communications) import nothing from targets, the app that counts them; and no module imports,
at its top level, a module that imports it back."""

import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("ocop_portal", "products", "subjects", "targets", "communications")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    return {_module_name(path): path for package in PACKAGES
            for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts}


def _top_level_imports(path: Path, modules: dict[str, Path], name: str) -> set[str]:
    """Project modules imported by the module's own body (not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[:len(package.split(".")) - node.level + 1],
                                 *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # A module's own packages are initialised before it whatever it imports: not an edge.
            if target and target != name and not name.startswith(f"{target}."):
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _project_modules()
    return {name: _top_level_imports(path, modules, name) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for neighbour in graph.get(node, ()):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_no_module_level_import_circles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_apps_that_hold_records_import_nothing_from_targets():
    # The acceptance's own check, run as it is written.
    result = subprocess.run(
        ["/usr/bin/grep", "-rnE", "^(from|import) targets",
         "products", "subjects", "communications"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.stdout == ""
    graph = _graph()
    leaks = {module: sorted(t for t in imports if t.split(".")[0] == "targets")
             for module, imports in graph.items()
             if module.split(".")[0] in ("products", "subjects", "communications")}
    assert {module: found for module, found in leaks.items() if found} == {}
