"""A prepared set of offers: validated once, sorted once (stage, then priority, then key) and indexed
by product, category and tag, so a quote only looks at the offers a cart's lines can meet."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from campaigns.planning import Problem
from campaigns.promotions.cart import Line
from campaigns.promotions.money import ratio
from campaigns.promotions.rules import STAGES, Offer, PercentOff, Points, Stacking, Stage
from campaigns.promotions.validate import validate_offer


@dataclass(frozen=True, slots=True)
class Entry:
    """One offer as the pipeline uses it; ``ratio`` is a percentage as an exact fraction (or None)."""

    index: int
    offer: Offer
    problems: tuple[Problem, ...]
    ratio: tuple[int, int] | None


def _sort_key(o: Offer) -> tuple:
    """Stage, priority (higher first), key; robust to the wrong types an invalid offer may carry."""
    stage = STAGES.index(o.stage) if o.stage in STAGES else len(STAGES)
    priority = o.priority if isinstance(o.priority, int) else 0
    return (stage, -priority, str(o.key), str(o.name), o.kind)


class OfferBook:
    """Build once per set of offers (e.g. per campaign, cached), quote many carts against it.
    ``stacking`` gives each stage its mode; a stage not named stacks sequentially."""

    def __init__(self, offers: Iterable[Offer], stacking: Mapping[Stage, Stacking] | None = None) -> None:
        offers = sorted(offers, key=_sort_key)
        dupes = Counter(o.key for o in offers)
        self.stacking = {s: Stacking((stacking or {}).get(s, Stacking.SEQUENTIAL)) for s in STAGES}
        self.entries: list[Entry] = []
        self.by_stage: dict[Stage, list[Entry]] = {s: [] for s in STAGES}  # valid entries only
        self.invalid: list[Entry] = []
        self._products: dict[str, list[int]] = defaultdict(list)
        self._categories: dict[str, list[int]] = defaultdict(list)
        self._tags: dict[str, list[int]] = defaultdict(list)
        self._everything: list[int] = []
        for i, o in enumerate(offers):
            problems = validate_offer(o)
            if dupes[o.key] > 1:
                problems.append(Problem("key", "duplicate", {"key": o.key}))
            if problems:
                self.entries.append(Entry(i, o, tuple(problems), None))
                self.invalid.append(self.entries[-1])
                continue
            b = o.benefit
            pct = b.percent if isinstance(b, PercentOff) else b.max_percent if isinstance(b, Points) else None
            self.entries.append(Entry(i, o, (), ratio(pct) if pct is not None else None))
            self.by_stage[o.stage].append(self.entries[-1])
            self._index(i, o)

    def _index(self, i: int, o: Offer) -> None:
        s = o.scope
        if s.everything:
            self._everything.append(i)
        for p in s.products:
            self._products[p].append(i)
        for c in s.categories:
            self._categories[c].append(i)
        for t in s.tags:
            self._tags[t].append(i)

    def scoped(self, lines: list[Line]) -> list[list[int]]:
        """For each entry, the positions in ``lines`` its scope takes, ascending (lines are walked in order)."""
        hits: list[list[int]] = [[] for _ in self.entries]
        entries = self.entries
        for li, line in enumerate(lines):
            found = set(self._products.get(line.product, ()))
            found.update(self._categories.get(line.category, ()))
            for t in line.tags:
                found.update(self._tags.get(t, ()))
            found.update(self._everything)
            for i in found:
                s = entries[i].offer.scope
                if (not s.shops or line.shop in s.shops) and line.product not in s.exclude:
                    hits[i].append(li)
        return hits
