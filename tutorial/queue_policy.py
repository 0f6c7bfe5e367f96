"""Who trains next: a fair queue over learners, with a per-learner limit and cancel.

:class:`QueuePolicy` holds only plain data (no threads, locks, processes or clocks), so the same
rules serve the local :class:`tutorial.jobs.LocalTrainer` and a Ray actor (:mod:`tutorial.cluster.table`).
Callers serialise access themselves (the local trainer under its lock, an actor by its mailbox).

The rules:

* **Round robin over owners.** Every owner (a learner's session id) has a FIFO of the runs they
  wait for; owners take turns, so one learner's third run never waits ahead of another's first.
  An owner who was just served goes to the back of the turn order.
* **Equal runs once.** A key (the run's :class:`~tutorial.spec.RunSpec`) waits only once; a second
  owner asking for it joins it (it then also sits in that owner's FIFO and is served on whichever
  owner's turn comes first).
* **At most** ``per_owner`` **waiting runs per owner**; the next one raises :class:`QueueLimit`.
  The empty owner ``""`` (the host, scripts, tests) has no limit.
* **Cancel detaches one owner**; the key leaves the queue only when nobody waits for it any more.
"""
from __future__ import annotations

import collections
from typing import Hashable, Iterator, Optional

LIMIT_MESSAGE = ("Sie haben schon {n} Trainings in der Warteschlange. Sobald eines davon startet oder Sie "
                 "eines mit »Abbrechen« zurücknehmen, können Sie ein weiteres anstoßen.")


class QueueLimit(Exception):
    """An owner already has the maximum number of waiting runs; ``str()`` is a German message."""


class QueuePolicy:
    """The waiting runs in fair order (keys are hashable, e.g. RunSpecs)."""

    def __init__(self, per_owner: int = 2):
        self.per_owner = per_owner
        self._owners: dict[Hashable, list[str]] = {}     # key -> owners waiting for it, in arrival order
        self._fifo: dict[str, collections.deque] = {}     # owner -> keys in the order they asked
        self._turn: collections.deque[str] = collections.deque()   # owners in round-robin order

    # --- changes -----------------------------------------------------------------------------
    def add(self, key: Hashable, owner: str = "") -> None:
        """``owner`` waits for ``key`` (joining it if it already waits). Raises :class:`QueueLimit`."""
        owners = self._owners.get(key)
        if owners is not None and owner in owners:
            return
        if owner and self.per_owner and self.waiting(owner) >= self.per_owner:
            raise QueueLimit(LIMIT_MESSAGE.format(n=self.per_owner))
        self._owners.setdefault(key, []).append(owner)
        if owner not in self._fifo:
            self._fifo[owner] = collections.deque()
            self._turn.append(owner)
        self._fifo[owner].append(key)

    def detach(self, key: Hashable, owner: str = "") -> bool:
        """``owner`` no longer waits for ``key``. True when nobody waits for it any more (it left
        the queue), False when others still wait (or ``owner`` did not wait for it)."""
        owners = self._owners.get(key)
        if owners is None or owner not in owners:
            return False
        owners.remove(owner)
        self._drop_from_fifo(owner, key)
        if owners:
            return False
        del self._owners[key]
        return True

    def remove(self, key: Hashable) -> list[str]:
        """Take ``key`` out of the queue for everybody; returns the owners that waited for it."""
        owners = self._owners.pop(key, [])
        for owner in owners:
            self._drop_from_fifo(owner, key)
        return owners

    def pop(self) -> Optional[tuple[Hashable, list[str]]]:
        """The next key to train and its owners (None when nothing waits)."""
        if not self._turn:
            return None
        owner = self._turn[0]
        key = self._fifo[owner][0]
        owners = self.remove(key)
        if owner in self._fifo:   # still has waiting runs: to the back of the line
            self._turn.remove(owner)
            self._turn.append(owner)
        return key, owners

    # --- questions ---------------------------------------------------------------------------
    def order(self) -> list[Hashable]:
        """All waiting keys in the order :meth:`pop` would hand them out."""
        fifos = {owner: list(keys) for owner, keys in self._fifo.items()}
        turn = list(self._turn)
        seen, out = set(), []
        while turn:
            owner = turn.pop(0)
            keys = fifos[owner]
            while keys and keys[0] in seen:
                keys.pop(0)
            if not keys:
                continue
            key = keys.pop(0)
            seen.add(key)
            out.append(key)
            if any(k not in seen for k in keys):
                turn.append(owner)
        return out

    def position(self, key: Hashable) -> int:
        """1 if ``key`` is next, 2 behind it, …; 0 when it does not wait."""
        try:
            return self.order().index(key) + 1
        except ValueError:
            return 0

    def owners(self, key: Hashable) -> list[str]:
        return list(self._owners.get(key, ()))

    def waiting(self, owner: str) -> int:
        """How many runs ``owner`` waits for."""
        return len(self._fifo.get(owner, ()))

    def __contains__(self, key: Hashable) -> bool:
        return key in self._owners

    def __len__(self) -> int:
        return len(self._owners)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.order())

    # --- internals ---------------------------------------------------------------------------
    def _drop_from_fifo(self, owner: str, key: Hashable) -> None:
        fifo = self._fifo.get(owner)
        if fifo is None:
            return
        try:
            fifo.remove(key)
        except ValueError:
            pass
        if not fifo:
            del self._fifo[owner]
            self._turn.remove(owner)
