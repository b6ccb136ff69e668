"""Time `hub build` on synthetic hubs, each build a separate process, and print Markdown tables.

    python bench/build_bench.py --items 1000 5000 10000 --compare [--runs 1] [--quick]

For each size: generate the corpus into bench/out/, delete the site and caches,
time a cold `hub build`, then append a sentence to one article and time the
rebuild. `--compare` builds the same corpus with plain mkdocs-material (search on),
paired with the hub's builds (one after the other, alternating which goes first),
and with its blog plugin at --blog-items, from bench/.venv-material, which this
script creates with pip on first use. Then, on the hub at the target size (5,000 when
measured, else the largest), the bytes of a first search on a phone (search_budget.py)
and `hub serve`'s save-to-page times (serve_latency.py); last, a table of every
target of targets.py with its ratio. Exit status 1 when a build failed or a target
is missed.
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

import targets  # noqa: E402
from generate_hub import generate  # noqa: E402
from proc_peak import PeakWatch, largest  # noqa: E402
from search_budget import first_search_bytes  # noqa: E402
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
    peaks: dict[str, int] = field(default_factory=dict)  # program -> KiB, from /proc
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


def _run_with_gnu_time(command: list[str], cwd: Path, output: Path, peaks: dict[str, int]) -> tuple[int, float, int]:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, output.open("ab") as sink:
        process = subprocess.Popen([str(GNU_TIME), "-v", "-o", report.name, *command],
                                   cwd=cwd, env=BUILD_ENV, stdout=sink, stderr=subprocess.STDOUT)  # fmt: skip
        watch = PeakWatch(process.pid).start()
        code = process.wait()
        _merge(peaks, watch.stop())
        cpu, rss = _parse_gnu_time(Path(report.name).read_text())
    return code, cpu, rss


def _run_with_rusage(command: list[str], cwd: Path, output: Path, peaks: dict[str, int]) -> tuple[int, float, int]:
    # wait4 gives this one child's rusage (it and its waited-for descendants), which
    # RUSAGE_CHILDREN would blur with every earlier build of this script.
    with output.open("ab") as sink:
        process = subprocess.Popen(command, cwd=cwd, env=BUILD_ENV, stdout=sink, stderr=subprocess.STDOUT)
        watch = PeakWatch(process.pid).start()
        _, status, usage = os.wait4(process.pid, 0)
        _merge(peaks, watch.stop())
        process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def _merge(peaks: dict[str, int], found: dict[str, int]) -> None:
    for name, kib in found.items():
        peaks[name] = max(kib, peaks.get(name, 0))


def run_measured(command: list[str], cwd: Path, output: Path, peaks: dict[str, int]) -> Sample:
    """Run one build process; its output goes to `output`; raise BuildFailed on a non-zero exit.
    The peak of each program in its tree goes into `peaks`."""
    runner = _run_with_gnu_time if GNU_TIME.is_file() else _run_with_rusage
    started = time.perf_counter()
    code, cpu, rss = runner(command, cwd, output, peaks)
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


def measure(target: Target, result: Result, run: int, runs: int, *, rebuild: bool) -> None:
    """One cold build of `target` (then, with `rebuild`, one after an edit) into `result`."""
    if result.error:
        return
    output = target.root / "build.log"
    if run == 1:
        output.unlink(missing_ok=True)
    try:
        clean(target.root, target.kind)
        log(f"  {target.kind} N={target.items}: cold build {run}/{runs}")
        result.cold.append(run_measured(target.command(), target.root, output, result.peaks))
        if not rebuild:
            return
        original = edited(target.edit)
        try:
            log(f"  {target.kind} N={target.items}: rebuild after editing {target.edit.name}")
            result.rebuild.append(run_measured(target.command(), target.root, output, result.peaks))
        finally:
            target.edit.write_bytes(original)
    except BuildFailed as exc:
        result.error = str(exc)
        log(f"  {target.kind} N={target.items} FAILED ({output}):\n{exc}")


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
        largest(result.peaks),
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
        "| build | N | cold s | cold CPU s | ms/item | peak RSS MiB | largest programs | rebuild s "
        "| hub/this cold | hub/this rebuild |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
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
    parser.add_argument("--items", type=int, nargs="+", help="corpus sizes (default 1000 5000; --quick: 200 1000)")
    parser.add_argument("--runs", type=int, default=1, help="cold builds per size (median shown)")
    parser.add_argument("--compare", action="store_true", help="also build with mkdocs-material")
    parser.add_argument("--blog-items", type=int, nargs="*", default=[],
                        help="sizes for the blog-plugin build with --compare (default none: it is slow)")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="small sizes and two saves per kind in `hub serve`")
    parser.add_argument("--target-items", type=int, help="N the targets are judged at (default 5000 or the largest)")
    parser.add_argument("--serve-edits", type=int, help="saves per article and kind in `hub serve` (default 3)")
    parser.add_argument("--no-serve", action="store_true", help="skip the `hub serve` measurement")
    parser.add_argument("--no-search", action="store_true", help="skip the first-search bytes (Chromium)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="where corpora go")
    parser.add_argument("--no-hub", action="store_true", help="skip the hub (baselines only)")
    args = parser.parse_args(argv)
    args.items = args.items or ([200, 1000] if args.quick else [1000, 5000])
    args.serve_edits = args.serve_edits or (2 if args.quick else 3)
    return args


def plan(args: argparse.Namespace) -> list[tuple[str, int]]:
    sizes = sorted(set(args.items))
    builds = [] if args.no_hub else [("hub", size) for size in sizes]
    if args.compare:
        builds += [("material", size) for size in sizes]
        builds += [("blog", size) for size in sorted(set(args.blog_items))]
    return builds


def run_builds(targets_: list[Target], runs: int) -> list[Result]:
    """Each size's builds in turn; within a size, run k of every kind before run k + 1, the
    order of kinds reversed on every other run, so that the hub and Material are paired."""
    results = {(t.kind, t.items): Result(t.kind, t.items) for t in targets_}
    for size in dict.fromkeys(t.items for t in targets_):
        group = [t for t in targets_ if t.items == size]
        for run in range(1, runs + 1):
            for target in group if run % 2 else reversed(group):
                measure(target, results[(target.kind, size)], run, runs, rebuild=target.kind == "hub")
    return [results[(t.kind, t.items)] for t in targets_]


def judge(args: argparse.Namespace, results: list[Result]) -> list[targets.Verdict]:
    hubs = {r.items: r for r in results if r.kind == "hub" and not r.error}
    if not hubs:
        return []
    size = args.target_items if args.target_items in hubs else (5000 if 5000 in hubs else max(hubs))
    material = next((r for r in results if r.kind == "material" and r.items == size and not r.error), None)
    root = args.out / f"hub-{size}"
    first_search = None
    if not args.no_search:
        log(f"first search on a phone, hub N={size}")
        first_search = first_search_bytes(root / "site")
    saves = None
    if not args.no_serve:
        from serve_latency import measure_saves

        log(f"hub serve, N={size}: {args.serve_edits} saves per article and kind")
        saves = measure_saves(root, args.serve_edits, say=log)
    print(f"Targets at N={size}:\n")
    return targets.evaluate(hubs[size], material, list(hubs.values()), first_search, saves)


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
    results = run_builds([prepare_target(kind, size, args.out, args.seed) for kind, size in builds], args.runs)
    print(f"Machine: {where}. Runs per build: {args.runs} (medians).\n")
    print(results_table(results) + "\n")
    print("Per-item time growth (cold builds):\n")
    print(growth_table(results) + "\n")
    verdicts = judge(args, results)
    if verdicts:
        print(targets.verdict_table(verdicts))
    missed = [verdict.number for verdict in verdicts if verdict.ratio is not None and not verdict.met]
    if missed:
        log(f"targets missed: {', '.join(missed)}")
    return 1 if missed or any(result.error for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
