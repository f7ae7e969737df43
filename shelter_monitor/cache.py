"""A small in-process cache for rendered fragments, keyed by the version of the stored data they show."""
from collections import OrderedDict
from threading import Lock
from typing import Any


class FragmentCache:
    """Least-recently-used, bounded, thread-safe. A key must include the version of every stored figure the
    fragment shows, so that a recomputation changes the key rather than needing an invalidation."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
