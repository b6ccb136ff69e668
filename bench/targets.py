"""The speed targets of the hub (issue 20) and a table of each figure against its limit.

Every row gives the figure reached, its limit and figure ÷ limit: at most 1.00 is met.
Ratios against plain mkdocs-material are medians of paired runs (the hub and Material
built one after the other, alternating which goes first), so that both builds of a pair
share the machine's load of that moment.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

WALL_VS_MATERIAL = 0.60
CPU_VS_MATERIAL = 1.20
REBUILD_SHARE = 0.25
SEARCH_BYTES = 300 * 1024
PEAK_MIB = 800
SERVE_SECONDS = 0.25
GROWTH = 0.20


class Sample(Protocol):
    seconds: float
    cpu_seconds: float


class Result(Protocol):
    items: int
    cold: list[Sample]
    rebuild: list[Sample]
    peaks: dict[str, int]

    def median(self, samples: str, attribute: str) -> float | None: ...

    def per_item(self, attribute: str) -> float | None: ...

    @property
    def peak_rss_mib(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class Verdict:
    number: str
    what: str
    figure: str
    limit: str
    ratio: float | None  # figure ÷ limit; None when not measured

    @property
    def met(self) -> bool:
        return self.ratio is not None and self.ratio <= 1.0


def paired_ratio(hub: Sequence[Sample], material: Sequence[Sample], attribute: str) -> float | None:
    """Median over pairs of hub ÷ Material for one attribute (seconds or cpu_seconds)."""
    pairs = [getattr(h, attribute) / getattr(m, attribute) for h, m in zip(hub, material, strict=False)]
    return statistics.median(pairs) if pairs else None


def _versus_material(hub: Result, material: Result | None) -> list[Verdict]:
    rows = []
    for number, attribute, label, limit in (("1a", "seconds", "wall", WALL_VS_MATERIAL),
                                            ("1b", "cpu_seconds", "CPU", CPU_VS_MATERIAL)):  # fmt: skip
        ratio = paired_ratio(hub.cold, material.cold, attribute) if material else None
        mine = hub.median("cold", attribute)
        theirs = material.median("cold", attribute) if material else None
        figure = "not measured" if ratio is None else f"{mine:.1f} s ÷ {theirs:.1f} s = {ratio:.2f}×"
        rows.append(Verdict(number, f"cold build, {label} time vs plain Material", figure, f"≤ {limit:.2f}×",
                            None if ratio is None else ratio / limit))  # fmt: skip
    return rows


def _rebuild(hub: Result) -> Verdict:
    cold, rebuild = hub.median("cold", "seconds"), hub.median("rebuild", "seconds")
    share = rebuild / cold if cold and rebuild else None
    figure = "not measured" if share is None else f"{rebuild:.1f} s ÷ {cold:.1f} s = {share:.0%}"
    return Verdict("2a", "one edited article rebuilt, share of the hub's cold build", figure,
                   f"≤ {REBUILD_SHARE:.0%}", None if share is None else share / REBUILD_SHARE)  # fmt: skip


def _search(first_search: tuple[int, str] | None) -> Verdict:
    if first_search is None:
        return Verdict("2b", "first search on a phone (Pagefind files, gzip)", "not measured", "≤ 300 KB", None)
    size, query = first_search
    return Verdict("2b", f"first search on a phone (Pagefind files, gzip; worst query `{query}`)",
                   f"{size / 1024:.0f} KB", "≤ 300 KB", size / SEARCH_BYTES)  # fmt: skip


def _memory(hub: Result) -> Verdict:
    peak = hub.peak_rss_mib
    top = sorted(hub.peaks.items(), key=lambda item: -item[1])[:2]
    who = ", ".join(f"{name} {kib / 1024:.0f}" for name, kib in top)
    figure = "not measured" if peak is None else f"{peak:.0f} MiB" + (f" (by program: {who})" if who else "")
    return Verdict("3", "largest single process of a build (Pagefind included)", figure, f"≤ {PEAK_MIB} MiB",
                   None if peak is None else peak / PEAK_MIB)  # fmt: skip


def _seconds(saves: Mapping[str, Mapping[str, list[float]]], *, page_alone: bool) -> list[float]:
    """Every save's seconds: until the page alone showed it, or page, listing and feed."""
    return [seconds for kinds in saves.values() for kind, times in kinds.items()
            if kind.startswith("page") == page_alone for seconds in times]  # fmt: skip


def _serve(saves: Mapping[str, Mapping[str, list[float]]] | None) -> Verdict:
    """Judged on the slowest kind of save (article × body/title) by its median."""
    if not saves:
        return Verdict("4", "`hub serve`: save → page, listing, feed shown", "not measured", "≤ 0.25 s", None)
    medians = {f"{label}, {kind}": statistics.median(times) for label, kinds in saves.items()
               for kind, times in kinds.items() if times and not kind.startswith("page")}  # fmt: skip
    every = _seconds(saves, page_alone=False)
    pages = _seconds(saves, page_alone=True)
    slowest = max(medians, key=medians.__getitem__)
    figure = (f"median {statistics.median(every):.2f} s over {len(every)} saves; "
              f"slowest kind ({slowest}) {medians[slowest]:.2f} s")  # fmt: skip
    if pages:
        figure += f"; the page alone: median {statistics.median(pages):.2f} s"
    return Verdict("4", "`hub serve`: save → page, listing, feed shown (median)", figure,
                   f"≤ {SERVE_SECONDS:.2f} s", medians[slowest] / SERVE_SECONDS)  # fmt: skip


def _growth(small: Result | None, large: Result | None) -> list[Verdict]:
    rows = []
    for number, attribute, label in (("5a", "seconds", "wall"), ("5b", "cpu_seconds", "CPU")):
        first = small.per_item(attribute) if small else None
        last = large.per_item(attribute) if large else None
        if not first or not last or small is large:
            rows.append(Verdict(number, f"per-item {label} time growth", "needs two sizes", "≤ +20%", None))
            continue
        growth = last / first - 1
        rows.append(Verdict(number, f"per-item {label} time growth, N={small.items} → {large.items}",
                            f"{first:.2f} → {last:.2f} ms/item = {growth:+.0%}", f"≤ +{GROWTH:.0%}",
                            (1 + growth) / (1 + GROWTH)))  # fmt: skip
    return rows


def evaluate(hub: Result, material: Result | None, sizes: Sequence[Result],
             first_search: tuple[int, str] | None,
             saves: Mapping[str, Mapping[str, list[float]]] | None) -> list[Verdict]:  # fmt: skip
    """Every target for the hub built at one N (`hub`), growth from the smallest to the largest."""
    ordered = sorted(sizes, key=lambda result: result.items)
    small, large = (ordered[0], ordered[-1]) if ordered else (None, None)
    return [*_versus_material(hub, material), _rebuild(hub), _search(first_search), _memory(hub),
            _serve(saves), *_growth(small, large)]  # fmt: skip


def verdict_table(verdicts: Sequence[Verdict]) -> str:
    lines = ["| # | target | reached | limit | reached ÷ limit | met |", "|---|---|---|---:|---:|---|"]
    for verdict in verdicts:
        ratio = "—" if verdict.ratio is None else f"{verdict.ratio:.2f}"
        met = "—" if verdict.ratio is None else ("yes" if verdict.met else "**no**")
        lines.append(f"| {verdict.number} | {verdict.what} | {verdict.figure} | {verdict.limit} | {ratio} | {met} |")
    return "\n".join(lines)
