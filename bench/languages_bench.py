"""Time a cold `hub build` of one synthetic hub without and with a share of it translated.

    python bench/languages_bench.py --items 300 [--translated 0.25] [--runs 3]

Both hubs hold the same corpus (same seed and size); the second adds a French
translation of `--translated` of its articles and stories and the language that
comes with it (a /fr/ home, listings, hubs, feeds and search index). Each build
is a separate process with its site and caches deleted first; the report gives
the median of each and their ratio (the issue asks at most 1.5 at 5,000 items).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from build_bench import HUB, BuildFailed, clean, log, run_measured  # noqa: E402
from generate_hub import generate  # noqa: E402


def cold_builds(root: Path, runs: int) -> list[float]:
    output = root / "build.log"
    output.unlink(missing_ok=True)
    seconds = []
    for run in range(1, runs + 1):
        clean(root, "hub")
        log(f"  {root.name}: cold build {run}/{runs}")
        command = [str(HUB), "-f", str(root / "mkdocs.yml"), "build", "--site-dir", str(root / "site")]
        seconds.append(run_measured(command, root, output, {}).seconds)  # peaks: not reported here
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=300, help="articles + stories + profiles (default 300)")
    parser.add_argument("--translated", type=float, default=0.25, help="share translated (default 0.25)")
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each hub (default 3)")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="where the hubs are generated")
    args = parser.parse_args(argv)
    medians = {}
    for name, share in (("one-language", 0.0), ("translated", args.translated)):
        root = args.out / f"languages-{args.items}-{name}"
        generate(args.items, root, translated=share)
        try:
            medians[name] = statistics.median(cold_builds(root, args.runs))
        except BuildFailed as exc:
            log(f"{root}: build failed: {exc}")
            return 1
    ratio = medians["translated"] / medians["one-language"]
    print(f"| items | translated | one language (s) | with translations (s) | ratio |\n|---|---|---|---|---|\n"
          f"| {args.items} | {args.translated:.0%} | {medians['one-language']:.2f} | {medians['translated']:.2f} "
          f"| {ratio:.2f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
