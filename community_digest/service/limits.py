"""Per-client request limits, in memory: a sliding window of timestamps per client.

One process serves the hub, so memory is enough; a restart forgets the counts,
which only lets a client start over (the per-address mail limit is in the
database and survives). The table of clients is bounded: when it is full the
clients idle longest are forgotten first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    seconds: float


class ClientLimiter:
    def __init__(self, limit: Limit, max_clients: int = 100_000):
        self.limit = limit
        self.max_clients = max_clients
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str, at: float | None = None) -> bool:
        """Count one request of `client`; False when it is over the limit (then it is not counted)."""
        moment = time.monotonic() if at is None else at
        with self._lock:
            stamps = self._seen.pop(client, None) or deque()
            while stamps and moment - stamps[0] >= self.limit.seconds:
                stamps.popleft()
            allowed = len(stamps) < self.limit.count
            if allowed:
                stamps.append(moment)
            self._seen[client] = stamps  # most recent last
            while len(self._seen) > self.max_clients:
                self._seen.popitem(last=False)
        return allowed
