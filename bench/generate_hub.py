"""Generate a seeded synthetic Mobility Hub, or the same corpus as a plain material site.

    python bench/generate_hub.py --items 1000 --out bench/out/hub-1000 [--seed 1]
    python bench/generate_hub.py --items 1000 --out bench/out/material-1000 --flavor material
    python bench/generate_hub.py --items 1000 --out bench/out/blog-1000 --flavor blog
    python bench/generate_hub.py --items 300 --out bench/out/hub-300-fr --translated 0.25

`--items` counts articles (~70%), partner stories (~20%) and profiles (~10%);
topics.yml (12 topics), one digest intro, the home intro and two plain pages come
on top. The same seed and size give byte-identical files in every run. `--translated`
(hub only) adds a French translation of that share of the articles and stories and makes
the hub bilingual (extra.hub.languages: [en, fr]).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth.corpus import Corpus, Counts, make_corpus  # noqa: E402
from synth.flavors import FLAVORS, WRITERS, OutputNotEmpty, prepare  # noqa: E402
from synth.translations import write_translations  # noqa: E402


def generate(items: int, out: Path, seed: int = 1, flavor: str = "hub", translated: float = 0.0) -> Corpus:
    """Write the corpus for `items` into `out` in the given flavour; returns the corpus."""
    if translated and flavor != "hub":
        raise ValueError("--translated: only the hub flavour has languages")
    corpus = make_corpus(items, seed)
    WRITERS[flavor](corpus, prepare(out, flavor))
    if translated:
        write_translations(corpus, out, translated)
    return corpus


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, required=True, help="articles + stories + profiles")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--flavor", choices=FLAVORS, default="hub", help="output layout")
    parser.add_argument("--translated", type=float, default=0.0,
                        help="share of articles and stories translated into French (0-1; hub only)")  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.perf_counter()
    try:
        counts = Counts.plan(args.items)
        generate(args.items, args.out, args.seed, args.flavor, args.translated)
    except (ValueError, OutputNotEmpty) as exc:
        print(f"generate_hub.py: {exc}", file=sys.stderr)
        return 2
    print(
        f"{args.out}: {args.flavor}, {counts.articles} articles, {counts.stories} stories, "
        f"{counts.profiles} profiles, seed {args.seed} "
        f"({time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
