"""A bounded memo: what was computed for a key, the least recently used dropped first once full.

The renderers keep what depends only on a dispositif's definition (a field's fixed attributes, a list's options as
drawn, a widget's HTML per shape); a process serving every version ever loaded must not keep them without bound."""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Memo"]

V = TypeVar("V")


class Memo(Generic[V]):
    """``memo.get(key, compute)``: the value kept for ``key``, else ``compute()``, kept."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        kept = self._kept
        try:
            value = kept[key]
        except KeyError:
            value = kept[key] = compute()
            if len(kept) > self.size:
                kept.popitem(last=False)
            return value
        kept.move_to_end(key)
        return value

    def __len__(self) -> int:
        return len(self._kept)
