"""The house rules of the code's layout, checked on every run.

- Only the engine adapter (generator/engine/) imports `mkdocs`, and never a private
  (`_`-prefixed) name of it.
- No import cycle between packages (generator's rooms, the digest and its service).
- The domain rooms (content, site) import neither build, preview nor engine.
- No command module imports the CLI module that gathers them.
- No module over 400 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hubkit import ROOT

PACKAGES = ("generator", "community_digest")
ENGINE = "generator.engine"
DOMAIN = ("generator.content", "generator.site")
NOT_FOR_DOMAIN = ("generator.build", "generator.preview", "generator.engine", "generator.commands", "generator.cli")
MAX_LINES = 400


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(name: str, path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import in a module, lazy ones too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            yield base, [alias.name for alias in node.names], node.lineno


def room(module: str) -> str | None:
    """The package a module lives in, at the grain the rules speak of."""
    parts = module.split(".")
    if parts[0] == "generator":
        return "generator." + parts[1] if len(parts) > 2 else (module if parts[1:] else None)
    if parts[0] == "community_digest":
        # The CLI gathers the commands, the commands start the service: rooms of their own.
        own = ("cli", "commands", "service")
        return f"community_digest.{parts[1]}" if parts[1:2] and parts[1] in own else "community_digest"
    return None


ALL = list(modules())


def test_only_the_engine_adapter_imports_mkdocs_and_only_public_names() -> None:
    offenders = []
    for name, path in ALL:
        for target, names, line in imports(name, path):
            if target.split(".")[0] not in ("mkdocs", "properdocs"):
                continue
            where = f"{path.relative_to(ROOT)}:{line}"
            if not name.startswith(ENGINE):
                offenders.append(f"{where}: imports {target} outside {ENGINE}")
            private = [part for part in [*target.split("."), *names] if part.startswith("_")]
            if private:
                offenders.append(f"{where}: private engine name {private[0]} from {target}")
    assert offenders == []


def test_no_import_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    for name, path in ALL:
        here = room(name)
        for target, names, _ in imports(name, path):
            # `from generator import x` imports the module generator.x
            targets = [f"{target}.{item}" for item in names] if target in PACKAGES else [target]
            for full in targets:
                there = room(full)
                if here and there and here != there:
                    graph.setdefault(here, set()).add(there)
    assert [sorted(component) for component in _components(graph) if len(component) > 1] == []


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components: rooms that reach each other through imports."""
    reach = {node: _reachable(graph, node) for node in graph}
    return [{other for other in reach if other in reach[node] and node in reach[other]} | {node} for node in reach]


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@pytest.mark.parametrize("domain", DOMAIN)
def test_domain_rooms_do_not_reach_the_machinery(domain: str) -> None:
    reached = sorted({f"{path.relative_to(ROOT)}:{line}: {target}"
                      for name, path in ALL if name.startswith(domain)
                      for target, _, line in imports(name, path)
                      if target.startswith(NOT_FOR_DOMAIN)})  # fmt: skip
    assert reached == []


def test_commands_do_not_import_the_cli_module() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}" for name, path in ALL if name != "generator.cli"
             for target, _, line in imports(name, path) if target == "generator.cli"]  # fmt: skip
    assert found == []


def test_no_module_over_400_lines() -> None:
    long = {str(path.relative_to(ROOT)): lines for _, path in ALL
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}  # fmt: skip
    assert long == {}


def test_the_rules_see_a_violation(tmp_path: Path) -> None:
    """The checks above read real imports: planted ones in a scratch module are found."""
    scratch = tmp_path / "scratch.py"
    scratch.write_text("from mkdocs.livereload import _serve_url\nfrom ..engine import plugin\n", encoding="utf-8")
    found = list(imports("generator.site.scratch", scratch))
    assert ("mkdocs.livereload", ["_serve_url"], 1) in found
    assert ("generator.engine", ["plugin"], 2) in found
    assert room("generator.engine.plugin") == "generator.engine"
    assert room("community_digest.service.app") == "community_digest.service"
