"""One bounded LRU memo for the resolver: the answers are frozen, so sharing is safe."""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Hashable

MEMO_SIZE = 100_000  # resolved pieces kept (a few MB)


class Memo:
    """``get(key, compute)``: ``compute()`` once per key, the least recently used key
    dropped beyond ``size``. Values must be immutable (they are handed to every caller)."""

    def __init__(self, size: int = MEMO_SIZE):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], object]):
        items = self._items
        if key in items:
            items.move_to_end(key)
            return items[key]
        value = items[key] = compute()
        if len(items) > self.size:
            items.popitem(last=False)
        return value

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
