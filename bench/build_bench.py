"""Time `hub build` on synthetic hubs, each build a separate process, and print Markdown tables.

    python bench/build_bench.py --items 1000 5000 [--runs 1] [--compare]

For each size: generate the corpus into bench/out/, delete the site and caches,
time a cold `hub build`, then append a sentence to one article and time the
rebuild. `--compare` builds the same corpus with plain mkdocs-material (search
on) and with its blog plugin (at --blog-items only), from bench/.venv-material,
which this script creates with pip on first use.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate_hub import generate  # noqa: E402
from synth.corpus import Corpus  # noqa: E402
from synth.flavors import BLOG_LAYOUT, HUB_LAYOUT, doc_path  # noqa: E402

REPO = BENCH.parent
HUB = REPO / ".venv" / "bin" / "hub"
MATERIAL_VENV = BENCH / ".venv-material"
MATERIAL_PINS = ("mkdocs==1.6.1", "mkdocs-material==9.8.1")
GNU_TIME = Path("/usr/bin/time")
CACHES = (".cache",)  # deleted before a cold build, with site/, site.*/ and the hub's cache_dir
EDIT = " One more sentence about the relocation, added by the benchmark.\n"
GROWTH_LIMIT = 0.20
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's end-of-life banner


@dataclass(frozen=True, slots=True)
class Sample:
    """One build process: wall seconds, CPU seconds (user + system), peak RSS in KiB."""

    seconds: float
    cpu_seconds: float
    max_rss_kib: int


@dataclass(slots=True)
class Result:
    kind: str
    items: int
    cold: list[Sample] = field(default_factory=list)
    rebuild: list[Sample] = field(default_factory=list)
    error: str | None = None

    def median(self, samples: str, attribute: str) -> float | None:
        values = [getattr(sample, attribute) for sample in getattr(self, samples)]
        return statistics.median(values) if values else None

    def per_item(self, attribute: str) -> float | None:
        """Milliseconds per item of a cold build (median), wall or CPU."""
        seconds = self.median("cold", attribute)
        return None if seconds is None else seconds * 1000 / self.items

    @property
    def ms_per_item(self) -> float | None:
        return self.per_item("seconds")

    @property
    def peak_rss_mib(self) -> float | None:
        samples = self.cold + self.rebuild
        return max(sample.max_rss_kib for sample in samples) / 1024 if samples else None


@dataclass(frozen=True, slots=True)
class Target:
    """A generated site and how to build it."""

    kind: str  # hub | material | blog
    items: int
    root: Path
    edit: Path  # the article the rebuild measurement edits

    def command(self) -> list[str]:
        config, site = str(self.root / "mkdocs.yml"), str(self.root / "site")
        if self.kind == "hub":
            return [str(HUB), "-f", config, "build", "--site-dir", site]
        mkdocs = str(MATERIAL_VENV / "bin" / "mkdocs")
        return [mkdocs, "build", "--quiet", "--config-file", config, "--site-dir", site]


class BuildFailed(Exception):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _parse_gnu_time(report: str) -> tuple[float, int]:
    values: dict[str, str] = {}
    for line in report.splitlines():
        key, _, value = line.strip().rpartition(": ")
        values[key] = value
    cpu = float(values["User time (seconds)"]) + float(values["System time (seconds)"])
    return cpu, int(values["Maximum resident set size (kbytes)"])


def _run_with_gnu_time(command: list[str], cwd: Path, output: Path) -> tuple[int, float, int]:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, output.open("ab") as sink:
        code = subprocess.call(
            [str(GNU_TIME), "-v", "-o", report.name, *command],
            cwd=cwd,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        cpu, rss = _parse_gnu_time(Path(report.name).read_text())
    return code, cpu, rss


def _run_with_rusage(command: list[str], cwd: Path, output: Path) -> tuple[int, float, int]:
    # wait4 gives this one child's rusage (it and its waited-for descendants), which
    # RUSAGE_CHILDREN would blur with every earlier build of this script.
    with output.open("ab") as sink:
        process = subprocess.Popen(command, cwd=cwd, env=BUILD_ENV, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def run_measured(command: list[str], cwd: Path, output: Path) -> Sample:
    """Run one build process; its output goes to `output`; raise BuildFailed on a non-zero exit."""
    runner = _run_with_gnu_time if GNU_TIME.is_file() else _run_with_rusage
    started = time.perf_counter()
    code, cpu, rss = runner(command, cwd, output)
    seconds = time.perf_counter() - started
    if code != 0:
        tail = output.read_text(errors="replace").strip().splitlines()[-15:]
        raise BuildFailed(f"exit {code}: " + "\n".join(tail))
    return Sample(seconds, cpu, rss)


def _hub_cache(root: Path) -> list[Path]:
    """The hub's configured build cache (`extra.hub.cache_dir`), when the project can tell us."""
    try:
        from generator.content.project import load_project

        project = load_project(root / "mkdocs.yml")
        return [project.resolve(project.settings.cache_dir)]
    except Exception:  # an older or broken hub: fall back to CACHES
        return []


def clean(root: Path, kind: str) -> None:
    """Delete the site, temporary sites and caches under `root`, so that the next build is cold."""
    caches = [root / cache for cache in CACHES] + (_hub_cache(root) if kind == "hub" else [])
    for path in [root / "site", *root.glob("site.*"), *caches]:
        if path.is_dir() and path.resolve().is_relative_to(root.resolve()):
            shutil.rmtree(path)


def edited(path: Path) -> bytes:
    """Append a sentence to the article's last paragraph; return the original bytes."""
    original = path.read_bytes()
    path.write_text(original.decode("utf-8").rstrip("\n") + EDIT, encoding="utf-8")
    return original


def measure(target: Target, runs: int) -> Result:
    result = Result(target.kind, target.items)
    output = target.root / "build.log"
    output.unlink(missing_ok=True)
    try:
        for run in range(1, runs + 1):
            clean(target.root, target.kind)
            log(f"  {target.kind} N={target.items}: cold build {run}/{runs}")
            result.cold.append(run_measured(target.command(), target.root, output))
            original = edited(target.edit)
            try:
                log(f"  {target.kind} N={target.items}: rebuild after editing {target.edit.name}")
                result.rebuild.append(run_measured(target.command(), target.root, output))
            finally:
                target.edit.write_bytes(original)
    except BuildFailed as exc:
        result.error = str(exc)
        log(f"  {target.kind} N={target.items} FAILED ({output}):\n{exc}")
    return result


def _edit_target(corpus: Corpus, root: Path, kind: str) -> Path:
    article = next(doc for doc in corpus.articles if not doc.draft)
    layout = BLOG_LAYOUT if kind == "blog" else HUB_LAYOUT
    return root / ("content" if kind == "hub" else "docs") / doc_path(article, layout)


def prepare_target(kind: str, items: int, out: Path, seed: int) -> Target:
    root = out / f"{kind}-{items}"
    log(f"generating {root} ({kind}, {items} items, seed {seed})")
    corpus = generate(items, root, seed, kind)
    return Target(kind, items, root, _edit_target(corpus, root, kind))


def ensure_material_venv() -> None:
    """Create bench/.venv-material with the pinned mkdocs and mkdocs-material (not project deps)."""
    mkdocs = MATERIAL_VENV / "bin" / "mkdocs"
    if mkdocs.is_file():
        return
    log(f"creating {MATERIAL_VENV} with {' '.join(MATERIAL_PINS)}")
    subprocess.run([sys.executable, "-m", "venv", str(MATERIAL_VENV)], check=True)
    pip = [str(MATERIAL_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, *MATERIAL_PINS], check=True)


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ratio(hub: Result | None, other: Result, samples: str) -> float | None:
    """Hub seconds over this build's seconds (below 1: the hub is faster)."""
    if hub is None or other.kind == "hub":
        return None
    mine, theirs = hub.median(samples, "seconds"), other.median(samples, "seconds")
    return mine / theirs if mine and theirs else None


def _row(result: Result, hub: Result | None) -> str:
    cells = [
        result.kind,
        str(result.items),
        _number(result.median("cold", "seconds")),
        _number(result.median("cold", "cpu_seconds")),
        _number(result.ms_per_item),
        _number(result.peak_rss_mib, 0),
        _number(result.median("rebuild", "seconds")),
        _number(_ratio(hub, result, "cold")),
        _number(_ratio(hub, result, "rebuild")),
    ]
    if result.error:
        cells[2] = f"failed ({result.error.splitlines()[0]})"
    return "| " + " | ".join(cells) + " |"


def results_table(results: Sequence[Result]) -> str:
    hubs = {result.items: result for result in results if result.kind == "hub"}
    lines = [
        "| build | N | cold s | cold CPU s | ms/item | peak RSS MiB | rebuild s | hub/this cold | hub/this rebuild |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_row(result, hubs.get(result.items)) for result in results]
    return "\n".join(lines)


def _growth_row(kind: str, small: Result, large: Result) -> str:
    cells = [kind, str(small.items), str(large.items)]
    for attribute in ("seconds", "cpu_seconds"):
        first, last = small.per_item(attribute), large.per_item(attribute)
        assert first is not None and last is not None
        growth = last / first - 1
        verdict = "yes" if growth <= GROWTH_LIMIT else "**no**"
        cells += [f"{first:.2f} → {last:.2f}", f"{growth:+.0%} ({verdict})"]
    return "| " + " | ".join(cells) + " |"


def growth_table(results: Sequence[Result]) -> str:
    """Per-item wall and CPU time from the smallest N to each larger N, per kind of build."""
    lines = [
        "| build | from N | to N | ms/item | growth (≤ 20%?) | CPU ms/item | CPU growth (≤ 20%?) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in dict.fromkeys(result.kind for result in results):
        sized = sorted((r for r in results if r.kind == kind and r.ms_per_item), key=lambda r: r.items)
        lines += [_growth_row(kind, sized[0], larger) for larger in sized[1:]]
    return "\n".join(lines)


def machine() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at start {load}"
    )


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 5000], help="corpus sizes")
    parser.add_argument("--runs", type=int, default=1, help="cold builds per size (median shown)")
    parser.add_argument("--compare", action="store_true", help="also build with mkdocs-material")
    parser.add_argument(
        "--blog-items",
        type=int,
        nargs="*",
        default=[1000],
        help="sizes for the blog-plugin build with --compare (default 1000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="where corpora go")
    parser.add_argument("--no-hub", action="store_true", help="skip the hub (baselines only)")
    return parser.parse_args(argv)


def plan(args: argparse.Namespace) -> list[tuple[str, int]]:
    sizes = sorted(set(args.items))
    builds = [] if args.no_hub else [("hub", size) for size in sizes]
    if args.compare:
        builds += [("material", size) for size in sizes]
        builds += [("blog", size) for size in sorted(set(args.blog_items))]
    return builds


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    builds = plan(args)
    if not builds:
        log("nothing to build: drop --no-hub or add --compare")
        return 2
    if any(kind != "hub" for kind, _ in builds):
        ensure_material_venv()
    where = machine()
    log(where)
    results = []
    for kind, size in builds:
        target = prepare_target(kind, size, args.out, args.seed)
        results.append(measure(target, args.runs))
    print(f"Machine: {where}. Runs per build: {args.runs} (medians).\n")
    print(results_table(results) + "\n")
    print("Per-item time growth (cold builds):\n")
    print(growth_table(results))
    return 1 if any(result.error for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
