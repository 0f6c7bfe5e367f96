"""The house rules, read from the source with ``ast`` (nothing is imported, nothing runs):

* no import cycle among the project's modules (``tutorial/``, the pages in ``kapitel/``,
  ``streamlit_app.py``) – imports at module level and inside functions, ``importlib.import_module`` /
  ``__import__`` with a literal name, and with an f-string every module its literal prefix can reach;
* no module in ``tutorial/`` over 400 lines;
* the engine (``tutorial/`` without ``tutorial/app/``) never imports Streamlit, and TensorFlow/Keras
  only where README "Aufbau" allows it at module level: ``models.py`` and ``training.py`` (the worker's
  training child and the Ray task import them inside functions);
* settings are read by ``tutorial/settings.py`` alone, and the Ray side (bridge, job table, task)
  does not reach it: it gets what it needs with the job.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
TF_AT_MODULE_LEVEL = {"tutorial.models", "tutorial.training"}
RAY_SIDE = ("tutorial.cluster.bridge", "tutorial.cluster.table", "tutorial.cluster.task")


def _name(path: Path) -> str:
    """The module name of a file under tutorial/ or the root; page files keep their path."""
    rel = path.relative_to(ROOT)
    if rel.parts[0] == "kapitel":
        return rel.as_posix()
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _files() -> dict[str, Path]:
    files = [*ROOT.glob("tutorial/**/*.py"), *ROOT.glob("kapitel/**/*.py"), ROOT / "streamlit_app.py"]
    return {_name(f): f for f in sorted(files)}


MODULES = _files()
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in MODULES.items()}


def _package(name: str) -> str:
    """The package a module's relative imports start from."""
    return name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]


class Imports(ast.NodeVisitor):
    """Every import of one module: (imported name, line, at module level?)."""

    def __init__(self, module: str):
        self.module, self.depth, self.found = module, 0, []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node):
        test = node.test
        if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
            return                                   # never runs
        self.generic_visit(node)

    def _add(self, name: str, node) -> None:
        self.found.append((name, node.lineno, self.depth == 0))

    def visit_Import(self, node):
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node):
        base = node.module or ""
        if node.level:
            package = _package(self.module).split(".")
            package = package[:len(package) - (node.level - 1)]
            base = ".".join(package + ([base] if base else []))
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in MODULES else base, node)

    def visit_Call(self, node):
        func = node.func
        dynamic = (isinstance(func, ast.Attribute) and func.attr == "import_module"
                   and isinstance(func.value, ast.Name) and func.value.id == "importlib") or \
                  (isinstance(func, ast.Name) and func.id == "__import__")
        if dynamic and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                self._add(arg.value, node)
            elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
                prefix = arg.values[0].value          # f"tutorial.questions.{key}": any module it can name
                for name in MODULES:
                    if name.startswith(prefix) and name != self.module:
                        self._add(name, node)
        self.generic_visit(node)


def imports(module: str) -> list[tuple[str, int, bool]]:
    visitor = Imports(module)
    visitor.visit(TREES[module])
    return visitor.found


GRAPH = {name: sorted({target for target, _, _ in imports(name) if target in MODULES and target != name})
         for name in MODULES}


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle (as a path that returns to its start) for every strongly connected component with
    more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(_path_within(graph, set(component)))

    for node in graph:
        if node not in index:
            connect(node)
    return found


def _path_within(graph: dict[str, list[str]], component: set) -> list[str]:
    """A shortest cycle through the component's first module, for the message."""
    start = min(component)
    paths = {start: [start]}
    todo = [start]
    while todo:
        node = todo.pop(0)
        for nxt in graph[node]:
            if nxt == start:
                return paths[node] + [start]
            if nxt in component and nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                todo.append(nxt)
    return sorted(component)


def engine(name: str) -> bool:
    return name.startswith("tutorial") and not name.startswith("tutorial.app")


# --- the rules --------------------------------------------------------------------------------------------

def test_the_graph_sees_every_kind_of_import():
    assert "tutorial.questions.ch03" in GRAPH["tutorial.questions"]              # f-string import_module
    assert "tutorial.app.loader" in GRAPH["streamlit_app"]                       # from package import module
    assert any(target == "tutorial.training" and not top for target, _, top in imports("tutorial.worker"))
    assert "tutorial.layers" in GRAPH["tutorial.spec"] and len(MODULES) > 80
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c", "a"]]


def test_no_import_cycles():
    found = cycles(GRAPH)
    assert not found, "import cycles: " + "; ".join(" → ".join(cycle) for cycle in found)


def test_no_module_of_tutorial_is_longer_than_400_lines():
    long = {name: n for name, path in MODULES.items() if name.startswith("tutorial")
            and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"over {MAX_LINES} lines: {long}"


def test_the_engine_imports_neither_streamlit_nor_tensorflow_at_module_level():
    wrong = []
    for name in filter(engine, MODULES):
        for target, line, top in imports(name):
            root = target.split(".")[0]
            if root == "streamlit":
                wrong.append(f"{name}:{line} imports {target}")
            elif root in ("tensorflow", "keras") and top and name not in TF_AT_MODULE_LEVEL:
                wrong.append(f"{name}:{line} imports {target} at module level")
    assert not wrong, "\n".join(wrong)


def _environment_key(node) -> object:
    """The key of ``os.environ.get(key)``, ``os.getenv(key)`` or ``os.environ[key]`` (``...`` if the
    node is none of them; None if the key is not a literal)."""
    if isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.environ.get", "os.getenv") and node.args:
        key = node.args[0]
    elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ" and isinstance(node.ctx, ast.Load):
        key = node.slice
    else:
        return ...
    return key.value if isinstance(key, ast.Constant) else None


def test_settings_are_read_in_one_place_and_the_ray_side_reads_none():
    readers = []
    for name in MODULES:
        for node in ast.walk(TREES[name]):
            if name != "tutorial.settings":
                key = _environment_key(node)        # the process environment: only for other programs' variables
                if key is not ... and (not isinstance(key, str) or key.startswith("TUTORIAL_")):
                    readers.append(f"{name}:{node.lineno}: {ast.unparse(node)[:80]}")
            if name != "tutorial.app.host" and isinstance(node, ast.Attribute) and node.attr == "secrets" \
                    and isinstance(node.value, ast.Name) and node.value.id == "st":
                readers.append(f"{name}:{node.lineno}: st.secrets (handed to tutorial.settings by tutorial.app.host)")
    assert not readers, "settings read outside tutorial/settings.py:\n" + "\n".join(sorted(set(readers)))
    for start in RAY_SIDE:
        reached, todo = set(), [start]
        while todo:
            for nxt in GRAPH[todo.pop()]:
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        assert "tutorial.settings" not in reached, f"{start} reaches tutorial.settings"


def _bound_by_imports(tree: ast.Module) -> dict[str, int]:
    """The names a module's own top-level imports bind (name -> line); ``from __future__`` binds none."""
    bound = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound[alias.asname or alias.name.split(".")[0]] = node.lineno
    return bound


def facade_problems(name: str, tree: ast.Module) -> list[str]:
    """Why a package's ``__init__`` passes on names instead of using them itself: a name it imports
    but never uses, an ``__all__`` or a module ``__getattr__``."""
    problems = []
    bound = _bound_by_imports(tree)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {ast.unparse(node).split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            problems.append(f"{name}:{node.lineno} defines __all__")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "__getattr__":
            problems.append(f"{name}:{node.lineno} defines a module __getattr__")
    for imported, line in bound.items():
        if imported not in used:
            problems.append(f"{name}:{line} imports {imported} without using it (a re-export)")
    return problems


def test_facade_check_sees_re_exports():
    tree = ast.parse("from __future__ import annotations\nfrom a.b import c, d\nimport e\n"
                     "__all__ = ['c']\ndef f():\n    return d(e.x)\n")
    assert facade_problems("p", tree) == ["p:4 defines __all__", "p:2 imports c without using it (a re-export)"]
    assert facade_problems("p", ast.parse("from a import b\ndef __getattr__(n):\n    return b\n")) == \
        ["p:2 defines a module __getattr__"]


def test_no_package_init_re_exports_names():
    """A package's ``__init__`` imports only for its own use: callers import from the owning module
    (``tutorial.charts.training``, not ``tutorial.charts``), so no facade can come back."""
    inits = [name for name, path in MODULES.items() if name.startswith("tutorial") and path.name == "__init__.py"]
    assert "tutorial.charts" in inits and "tutorial.app.explain" in inits
    problems = [p for name in inits for p in facade_problems(name, TREES[name])]
    assert not problems, "\n".join(problems)


def private_uses(name: str, tree: ast.Module) -> list[str]:
    """Where a module uses another project module's private name (``worker._limit_threads``,
    ``from tutorial.x import _y``): what others need is public in its owner."""
    aliases, found = {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in MODULES:
                    aliases[alias.asname or alias.name] = full
                elif node.module in MODULES and alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{name}:{node.lineno} from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            aliases.update({alias.asname: alias.name for alias in node.names if alias.asname and alias.name in MODULES})
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                and node.attr.startswith("_") and not node.attr.startswith("__"):
            found.append(f"{name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_private_check_sees_both_forms():
    tree = ast.parse("from tutorial import worker\nfrom tutorial.spec import _x\nworker._limit_threads(1)\n")
    assert private_uses("m", tree) == ["m:2 from tutorial.spec import _x", "m:3 worker._limit_threads"]


def test_no_module_uses_another_modules_private_names():
    found = [use for name in MODULES for use in private_uses(name, TREES[name])]
    assert not found, "\n".join(found)
