"""Imports follow the flow: core <- tools / knowledge <- bot <- connectors (docs/architecture.md, "Layers").

Every module of the package is parsed (ast, nothing is imported) and each project import is checked
against the layer table; an entry point may import everything, and each one is listed with its reason.
An `ImportError` caught around a project import would hide a real breakage, so that fails too. The
checker itself is tested on synthetic module texts, so a stray import is known to fail the test.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lower layers never import higher ones. Same-layer imports are allowed, except where `FORBIDDEN` says no.
LAYERS = {"core": 0, "tools": 1, "knowledge": 1, "bot": 2, "connectors": 3, "evals": 4}
# Pairs on the same layer that still must not meet: the SOP knowledge base knows nothing of the tools.
FORBIDDEN = {("knowledge", "tools")}
# Modules that assemble the whole application: they may import any layer.
ENTRY_POINTS = {
    "bot.cli": "the command line: each command wires the importer, the demo generator, the server and the evals",
}
# An ImportError may be caught around an optional third-party library, never around one of these.
PROJECT_PACKAGES = set(LAYERS)


@dataclass(frozen=True)
class Violation:
    """One import against the flow, or one swallowed ImportError, in one module."""

    module: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.problem}"


def _imported(node: ast.AST, module: str) -> list[str]:
    """The absolute module names one import statement names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: resolve against the importing module's package
            base = module.split(".")[: -node.level]
            return [".".join([*base, node.module] if node.module else base)]
        return [node.module] if node.module else []
    return []


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught is not None else []
    return caught is None or any(isinstance(n, ast.Name) and n.id in {"ImportError", "ModuleNotFoundError",
                                                                      "Exception", "BaseException"}
                                 for n in names)


def check_module(module: str, source: str) -> list[Violation]:
    """The violations in one module's source (`module` is its dotted name, e.g. `tools.sourcing`)."""
    top = module.split(".")[0]
    layer = LAYERS.get(top)
    tree = ast.parse(source)
    found: list[Violation] = []
    if layer is None:
        return found
    for node in ast.walk(tree):
        for name in _imported(node, module):
            target = name.split(".")[0]
            if target not in LAYERS or module in ENTRY_POINTS:
                continue
            if LAYERS[target] > layer or (top, target) in FORBIDDEN:
                found.append(Violation(module, node.lineno, f"{top} (layer {layer}) imports {name} "
                                                            f"({target}, layer {LAYERS[target]})"))
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            project = [name for stmt in node.body for inner in ast.walk(stmt) for name in _imported(inner, module)
                       if name.split(".")[0] in PROJECT_PACKAGES]
            if project:
                found.append(Violation(module, node.lineno, f"ImportError swallowed around {', '.join(project)}"))
    return found


def package_modules() -> dict[str, Path]:
    """Every module of the package by dotted name (the blind evaluation sets are others' scripts: left out)."""
    modules: dict[str, Path] = {}
    for top in LAYERS:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative.parts[:2] == ("evals", "sets"):
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def test_every_import_follows_the_flow() -> None:
    violations = [str(v) for module, path in package_modules().items()
                  for v in check_module(module, path.read_text(encoding="utf-8"))]
    assert violations == []


def test_the_package_is_all_checked() -> None:
    modules = package_modules()
    assert {"core.db", "tools.registry", "tools.weather", "knowledge.retrieval", "bot.assistant",
            "connectors.hko", "connectors.server", "bot.cli"} <= set(modules)
    assert set(ENTRY_POINTS) <= set(modules), "an entry point that no longer exists"


def test_a_stray_import_fails() -> None:
    assert [v.problem for v in check_module("tools.sourcing", "from connectors.hko import WeatherState\n")] == [
        "tools (layer 1) imports connectors.hko (connectors, layer 3)"]
    assert check_module("tools.routing.cli", "def plan():\n    from bot.render.routes import render\n")
    assert check_module("core.db", "import tools.registry\n")
    assert check_module("knowledge.answer", "from tools.registry import Lang\n")
    assert check_module("bot.render.eta", "from ..messages import Reply\n") == []  # bot imports bot
    assert check_module("bot.http", "from connectors.channels import mount_channels\n")
    assert check_module("bot.cli", "from connectors.importer import load_folder\n") == []  # an entry point
    assert check_module("connectors.server", "from bot.http import create_api\n") == []  # down the flow


def test_a_swallowed_import_error_fails() -> None:
    swallowed = ("try:\n    from connectors.channels import mount_channels\nexcept ImportError:\n"
                 "    mount_channels = None\n")
    assert [v.problem for v in check_module("connectors.server", swallowed)] == [
        "ImportError swallowed around connectors.channels"]
    optional_library = "try:\n    from threadpoolctl import ThreadpoolController\nexcept ImportError:\n    pass\n"
    assert check_module("knowledge.retrieval", optional_library) == []


def test_build_registry_fails_loudly_on_a_missing_or_empty_tool_module() -> None:
    import pytest

    from tools.registry import TOOL_MODULES, ToolModuleError, build_registry

    with pytest.raises(ModuleNotFoundError):
        build_registry([*TOOL_MODULES, "tools.stokc"])  # a typo in the list is an error, not a missing tool
    with pytest.raises(ToolModuleError):
        build_registry(["tools.calendar"])  # a module in the list that defines no tool
