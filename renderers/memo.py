"""A bounded memo: what was computed for a key, the oldest dropped first once full.

The renderers keep what depends only on a dispositif's definition (a field's fixed attributes, a list's options as
drawn, a widget's HTML per shape); a process serving every version ever loaded must not keep them without bound."""

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Memo"]

V = TypeVar("V")


class Memo(Generic[V]):
    """``memo.get(key, compute)``: the value kept for ``key``, else ``compute()``, kept.

    Once full, the entry kept longest goes first (first in, first out): a hit is then one dictionary lookup, where
    keeping the order of use cost as much again on every field of every page. An entry still in use that goes is
    computed again, never wrong."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: dict[Hashable, V] = {}

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        kept = self._kept
        try:
            return kept[key]
        except KeyError:
            value = kept[key] = compute()
            if len(kept) > self.size:
                del kept[next(iter(kept))]
            return value

    def find(self, key: Hashable) -> V | None:
        """The value kept for ``key``, if any (no closure to make for the common case of a hit)."""
        return self._kept.get(key)

    def __len__(self) -> int:
        return len(self._kept)
