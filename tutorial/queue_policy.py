"""Who trains next: a fair queue over learners that a script cannot game (README "Warteschlange").

:class:`QueuePolicy` holds only plain data (no threads, locks or processes; the clock is handed in),
so the same rules serve the local :class:`tutorial.jobs.LocalTrainer` and the Ray actor
(:mod:`tutorial.cluster.table`). Callers serialise access themselves (the local trainer under its
lock, the actor by its mailbox).

The rules (numbers: :class:`Limits`):

* **Owners, not sessions.** An owner is a learner's identity (``state.learner_id()``, the same in
  every tab); the empty owner ``""`` is the host (pre-training), also scripts and tests.
* **Known learners first.** An owner with a history in the app (``standing`` – chapters visited,
  questions answered, exercises trained, counted by the app – of at least ``known_standing``) whom
  this queue has known for ``known_age`` seconds is *known*; the host is always known. Known owners
  are served before new ones; within each group owners take turns (round robin), an owner just
  served goes to the back. A script that opens fresh sessions only ever adds new owners, so a
  learner with a history waits at most for the runs that train already.
* **Equal runs once.** A key (the run's :class:`~tutorial.spec.RunSpec`) waits only once; a second
  owner asking for it joins it (it then sits in that owner's FIFO too and is served on whichever
  owner's turn comes first). Joining costs nothing, so it is never refused for the caps or rate.
* **Limits on new waiting runs:** at most ``per_owner`` waiting runs per owner; at most ``rate``
  new runs per owner within ``rate_window`` seconds; a new owner's run may cost at most
  ``new_max_seconds`` on an idle box; at most ``new_waiting`` waiting runs of new owners and
  ``max_waiting`` waiting runs in all – above that :class:`QueueFull` says when to try again,
  estimated from the waiting runs' costs. The host has none of these limits.
* **Cancel detaches one owner**; the key leaves the queue only when nobody waits for it any more.
* **Who left loses their place.** :meth:`seen` notes an owner (every page render of theirs);
  :meth:`drop_gone` takes out the waiting runs none of whose owners was seen for ``gone_seconds``.
  The host's runs are never dropped.
"""
from __future__ import annotations

import collections
import dataclasses
import math
import time
from typing import Callable, Hashable, Iterator, Optional

from tutorial.deutsch import de, duration

HOST = ""     # the owner of the host's pre-training (and of scripts and tests)
PRUNE_SECONDS = 10   # owners who left are forgotten at most this often

LIMIT_MESSAGE = ("Sie haben schon {n} Trainings in der Warteschlange. Sobald eines davon startet oder Sie "
                 "eines mit »Abbrechen« zurücknehmen, können Sie ein weiteres anstoßen.")
RATE_MESSAGE = ("Sie haben in den letzten {minutes} Minuten schon {n} Trainings angestoßen. Bitte versuchen "
                "Sie es in etwa {wait} wieder.")
NEW_TOO_BIG = ("Dieses Training dauert etwa {run} – neue Sitzungen können zunächst Trainings bis etwa "
               "{limit} anstoßen. Sehen Sie sich erst die vorigen Kapitel an und beantworten Sie ein paar "
               "Verständnisfragen; danach gilt die volle Grenze. Oder wählen Sie weniger Epochen.")
FULL_MESSAGE = ("Warteschlange voll: Gerade warten {n} Trainings. Bitte versuchen Sie es in etwa {wait} "
                "wieder – Ihre Einstellungen bleiben erhalten.")


def minutes_text(seconds: float) -> str:
    """``seconds`` rounded up to whole minutes, as German text ("1 Minute", "3 Minuten")."""
    n = max(1, math.ceil(seconds / 60))
    return "1 Minute" if n == 1 else f"{de(n)} Minuten"


class QueueLimit(Exception):
    """A request the queue refuses (per-owner limit, rate, size for new owners); ``str()`` is German."""


class QueueFull(QueueLimit):
    """The queue (or its part for new owners) is full; ``retry_after``: estimated seconds."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


@dataclasses.dataclass(frozen=True)
class Limits:
    per_owner: int = 2              # waiting runs per owner
    rate: int = 10                  # new runs per owner …
    rate_window: float = 600        # … within this many seconds
    max_waiting: int = 60           # waiting runs in all
    new_waiting: int = 30           # waiting runs of new owners
    new_max_seconds: float = 90     # a new owner's run: at most this long on an idle box
    known_standing: int = 3         # history (chapters, answers, exercises) that makes an owner known …
    known_age: float = 60           # … once this queue has known them this long
    gone_seconds: float = 600       # waiting runs of owners not seen this long are dropped
    default_cost: float = 30        # seconds of a run whose cost is not known


class Rate:
    """At most ``count`` events within ``window`` seconds (a sliding window; plain data)."""

    def __init__(self, count: int, window: float):
        self.count, self.window = count, window
        self._times: collections.deque[float] = collections.deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event is allowed (0: now)."""
        while self._times and self._times[0] <= now - self.window:
            self._times.popleft()
        if self.count <= 0 or len(self._times) < self.count:
            return 0.0
        return self._times[0] + self.window - now

    def note(self, now: float) -> None:
        self._times.append(now)

    def idle(self, now: float) -> bool:
        """Nothing within the window (the rate can be forgotten)."""
        self.wait(now)
        return not self._times

    def refusal(self, now: float) -> Optional[str]:
        """The German message when one more event is not allowed now, else None."""
        wait = self.wait(now)
        if wait <= 0:
            return None
        return RATE_MESSAGE.format(minutes=de(round(self.window / 60)), n=de(self.count), wait=minutes_text(wait))


class QueuePolicy:
    """The waiting runs in fair order (keys are hashable, e.g. RunSpecs); see the module's rules."""

    def __init__(self, limits: Limits = Limits(), clock: Callable[[], float] = time.time, parallel: int = 1):
        self.limits, self.clock, self.parallel = limits, clock, parallel
        self._owners: dict[Hashable, list[str]] = {}     # key -> owners waiting for it, in arrival order
        self._fifo: dict[str, collections.deque] = {}     # owner -> keys in the order they asked
        self._turn: collections.deque[str] = collections.deque()   # owners in round-robin order
        self._cost: dict[Hashable, float] = {}            # key -> seconds on an idle box
        self._standing: dict[str, int] = {}
        self._first: dict[str, float] = {}               # owner -> first seen
        self._last: dict[str, float] = {}                # owner -> last seen
        self._rates: dict[str, Rate] = {}
        self._pruned = -math.inf                          # when owners who left were last forgotten

    # --- owners --------------------------------------------------------------------------------
    def seen(self, owner: str, ago: float = 0.0) -> None:
        """``owner`` is here (a page of theirs ran ``ago`` seconds ago)."""
        when = self.clock() - max(0.0, ago)
        self._first.setdefault(owner, when)
        self._last[owner] = max(self._last.get(owner, when), when)

    def known(self, owner: str) -> bool:
        """The host, or an owner with enough history whom this queue has known long enough."""
        if owner == HOST:
            return True
        first = self._first.get(owner)
        return (first is not None and self._standing.get(owner, 0) >= self.limits.known_standing
                and self.clock() - first >= self.limits.known_age)

    # --- changes -------------------------------------------------------------------------------
    def add(self, key: Hashable, owner: str = HOST, standing: int = 0, cost: float = 0.0) -> None:
        """``owner`` waits for ``key`` (joining it if it already waits); ``standing``: the owner's
        history, ``cost``: the run's seconds on an idle box. Raises :class:`QueueLimit` (or
        :class:`QueueFull`) before anything changes."""
        owners = self._owners.get(key)
        if owners is not None and owner in owners:
            return
        now = self.clock()
        if owner != HOST:
            self._check(key, owner, standing, cost, now, join=owners is not None)
        self.seen(owner)
        self._standing[owner] = max(self._standing.get(owner, 0), int(standing))
        if owners is None:
            self._cost[key] = cost if cost > 0 else self.limits.default_cost
            if owner != HOST:
                self._rates.setdefault(owner, Rate(self.limits.rate, self.limits.rate_window)).note(now)
        self._owners.setdefault(key, []).append(owner)
        if owner not in self._fifo:
            self._fifo[owner] = collections.deque()
            self._turn.append(owner)
        self._fifo[owner].append(key)

    def _check(self, key: Hashable, owner: str, standing: int, cost: float, now: float, join: bool) -> None:
        limits = self.limits
        if limits.per_owner and self.waiting(owner) >= limits.per_owner:
            raise QueueLimit(LIMIT_MESSAGE.format(n=limits.per_owner))
        if join:
            return
        rate = self._rates.get(owner)
        refusal = rate.refusal(now) if rate is not None else None
        if refusal:
            raise QueueLimit(refusal)
        if len(self._owners) >= limits.max_waiting:
            raise self._full(len(self._owners) - limits.max_waiting + 1, lambda k: True)
        self._standing[owner] = max(self._standing.get(owner, 0), int(standing))
        self._first.setdefault(owner, now)
        if self.known(owner):
            return
        if cost > limits.new_max_seconds:
            raise QueueLimit(NEW_TOO_BIG.format(run=duration(cost), limit=duration(limits.new_max_seconds)))
        new = [k for k in self._owners if not self._key_known(k)]
        if len(new) >= limits.new_waiting:
            raise self._full(len(new) - limits.new_waiting + 1, lambda k: not self._key_known(k))

    def _full(self, pops: int, counts: Callable[[Hashable], bool]) -> QueueFull:
        """A QueueFull saying when ``pops`` of the keys ``counts`` accepts will have started."""
        seconds, left = 0.0, pops
        for key in self.order():
            seconds += self._cost.get(key, self.limits.default_cost)
            if counts(key):
                left -= 1
                if left <= 0:
                    break
        wait = seconds / max(1, self.parallel)
        return QueueFull(FULL_MESSAGE.format(n=de(len(self._owners)), wait=minutes_text(wait)), wait)

    def detach(self, key: Hashable, owner: str = HOST) -> bool:
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
        self._cost.pop(key, None)
        return True

    def remove(self, key: Hashable) -> list[str]:
        """Take ``key`` out of the queue for everybody; returns the owners that waited for it."""
        owners = self._owners.pop(key, [])
        self._cost.pop(key, None)
        for owner in owners:
            self._drop_from_fifo(owner, key)
        return owners

    def remove_waiting(self, keep_host: bool = True) -> list[Hashable]:
        """Take every waiting key out (the host's "alle wartenden Läufe abbrechen"); with
        ``keep_host`` the host's own runs stay. Returns the keys taken out."""
        gone = [k for k, owners in self._owners.items() if not (keep_host and HOST in owners)]
        for key in gone:
            self.remove(key)
        return gone

    def drop_gone(self) -> list[Hashable]:
        """Take out the waiting keys none of whose owners was seen for ``gone_seconds`` (never the
        host's) and forget owners who left with nothing waiting; returns the keys taken out."""
        limit = self.clock() - self.limits.gone_seconds
        gone = [k for k, owners in self._owners.items()
                if HOST not in owners and all(self._last.get(o, -math.inf) < limit for o in owners)]
        for key in gone:
            self.remove(key)
        if self.clock() - self._pruned >= PRUNE_SECONDS:      # every page render calls this: not each time
            self._pruned = self.clock()
            for owner in [o for o, t in self._last.items() if t < limit and o not in self._fifo]:
                for table in (self._first, self._last, self._standing, self._rates):
                    table.pop(owner, None)
        return gone

    def pop(self) -> Optional[tuple[Hashable, list[str]]]:
        """The next key to train and its owners (None when nothing waits): the first known owner
        in turn, else the first owner in turn."""
        if not self._turn:
            return None
        owner = next((o for o in self._turn if self.known(o)), self._turn[0])
        key = self._fifo[owner][0]
        owners = self.remove(key)
        if owner in self._fifo:   # still has waiting runs: to the back of the line
            self._turn.remove(owner)
            self._turn.append(owner)
        return key, owners

    # --- questions -----------------------------------------------------------------------------
    def order(self) -> list[Hashable]:
        """All waiting keys in the order :meth:`pop` would hand them out."""
        known = [o for o in self._turn if self.known(o)]
        new = [o for o in self._turn if o not in known]
        seen: set = set()
        return self._round_robin(known, seen) + self._round_robin(new, seen)

    def _round_robin(self, turn: list[str], seen: set) -> list[Hashable]:
        fifos = {owner: list(self._fifo[owner]) for owner in turn}
        turn, out = list(turn), []
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

    def is_host(self, key: Hashable) -> bool:
        """The host waits for ``key`` (pre-training: exempt from drops, caps and eviction)."""
        return HOST in self._owners.get(key, ())

    def _key_known(self, key: Hashable) -> bool:
        return any(self.known(o) for o in self._owners.get(key, ()))

    def __contains__(self, key: Hashable) -> bool:
        return key in self._owners

    def __len__(self) -> int:
        return len(self._owners)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.order())

    # --- internals -----------------------------------------------------------------------------
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
