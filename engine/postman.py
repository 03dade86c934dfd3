"""Send what the outbox holds: after a response that queued messages and every minute (``MAIL_DELIVERY=app``), in a
process of its own that looks every second (``guichet courriels --suivre``, ``MAIL_DELIVERY=separate``), or on the
operator's command (``guichet courriels``).

The text of a message is written here, at delivery, not in the request that queued it: a submission pays for one
INSERT, not for evaluating the form again and rendering the receipt. The receipt reads the dossier as submitted
(its number and date are stored; the answers and pièces of a submitted dossier no longer change).

Everything blocking (database, SMTP, the ``.eml`` folder) runs in a worker thread, never on the event loop. One
delivery at a time per process: a wake-up that comes while one runs asks it to go round once more instead of starting
a second one, so under load each round sends a batch of messages for one claim and one record. A following postman
(``follow``) runs in the calling thread and stops between two batches when asked to."""

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from engine.catalogue import Entry
from engine.db import autocommit
from engine.errors import EngineError
from engine.mail import Mailer, receipt_message
from engine.outbox import RECEIPT, Claimed, claim, make_due, record_failure, record_sent
from engine.settings import Settings
from engine.storage import Dossier, PieceFile

__all__ = ["BATCH", "FOLLOW_SECONDS", "GATHER", "SWEEP_SECONDS", "Delivery", "Postman"]

BATCH = 50
"""Messages claimed at once: sent well within a claim's lease even when each SMTP exchange takes its full timeout."""

GATHER = 0.05
"""Seconds a postman woken again while it was delivering waits before its next round, so that under load a round
sends many messages, not one: the claim, the read and the record of a round cost more than writing one message. A
lone submission's receipt goes at once."""

SWEEP_SECONDS = 60.0
"""How often the app looks for messages due again (a retry after a failure, a message left by a stopped instance)."""

FOLLOW_SECONDS = 1.0
"""How often a following postman looks for messages: a receipt leaves within about a second of its submission, and
a look that finds nothing is one indexed query. Under load a look finds the whole second's messages, sent in batches
of ``BATCH``, so the cost per message falls as the load grows."""

log = logging.getLogger("guichet")


@dataclass(frozen=True)
class Delivery:
    """What a delivery did."""

    sent: int = 0
    failed: int = 0

    def __add__(self, other: "Delivery") -> "Delivery":
        return Delivery(self.sent + other.sent, self.failed + other.failed)


class Postman:
    """Sends the outbox's messages with the app's mailer; safe to run in several threads and processes at once."""

    def __init__(self, db: Engine, mailer: Mailer, settings: Settings, entry: Callable[[str, str], Entry]) -> None:
        self.db = db
        self.mailer = mailer
        self.settings = settings
        self.entry = entry
        """A dispositif at the version a dossier was filled under."""
        self._state = threading.Lock()
        self._running = False
        self._again = False

    def deliver(self, *, waiting_too: bool = False, stop: threading.Event | None = None) -> Delivery:
        """Send every message due, batch by batch, until none is left or ``stop`` is set (blocking: call it from a
        thread).

        ``waiting_too``: also the messages waiting for their next attempt after a failure. A message that fails now
        waits again, so this always ends."""
        if waiting_too:
            make_due(self.db)
        done = Delivery()
        while stop is None or not stop.is_set():
            batch = claim(self.db, limit=BATCH)
            done += self._send(batch)
            if len(batch) < BATCH:  # that was the last of them: no need to ask again
                break
        return done

    def follow(
        self,
        stop: threading.Event,
        *,
        every: float = FOLLOW_SECONDS,
        waiting_too: bool = False,
        report: Callable[[Delivery], None] | None = None,
    ) -> Delivery:
        """Deliver what is due, then look again every ``every`` seconds, until ``stop`` is set; blocking, in the
        calling thread (``guichet courriels --suivre``). A batch under way is finished and recorded first, so a
        stopped postman leaves no message claimed for nothing.

        ``waiting_too``: the first round also takes the messages waiting for their next attempt. ``report``: called
        after each round that sent or failed something. A database out of reach is tried again at the next look."""
        done = Delivery()
        while not stop.is_set():
            try:
                delivered = self.deliver(waiting_too=waiting_too, stop=stop)
            except Exception:  # nothing is lost: the messages stay in the outbox
                log.exception("envoi des courriels en attente interrompu ; nouvel essai dans %g s", every)
            else:
                waiting_too = False
                done += delivered
                if report is not None and delivered != Delivery():
                    report(delivered)
            stop.wait(every)
        return done

    async def wake(self) -> None:
        """Deliver what is due in a worker thread (a response's BackgroundTask: it runs once the response is sent)."""
        with self._state:
            if self._running:
                self._again = True
                return
            self._running = True
            self._again = False
        try:
            await run_in_threadpool(self._rounds)
        except BaseException:  # the thread could not run (shutdown): let the next wake-up start one
            with self._state:
                self._running = False
            raise

    async def sweep(self, every: float = SWEEP_SECONDS) -> None:
        """Wake up now, then every ``every`` seconds, until cancelled (the app's lifespan runs it)."""
        while True:
            await self.wake()
            await asyncio.sleep(every)

    def _rounds(self) -> None:
        """Deliver, and again as long as someone woke this postman meanwhile."""
        busy = False
        while True:
            if busy:  # woken during the last round: submissions keep coming, let a batch of them gather
                time.sleep(GATHER)
            try:
                self.deliver()
            except Exception:  # the database is unreachable: nothing is lost, the sweep tries again
                log.exception("envoi des courriels en attente interrompu")
            with self._state:
                if not self._again:
                    self._running = False
                    return
                self._again = False
            busy = True

    def _send(self, batch: Sequence[Claimed]) -> Delivery:
        if not batch:
            return Delivery()
        dossiers, pieces = self._read([message.dossier_id for message in batch])
        sent: list[int] = []
        failed = 0
        for message in batch:
            try:
                subject, body = self._write(message, dossiers, pieces)
                self.mailer.send(message.recipient, subject, body)
            except Exception as error:  # one message that cannot be built or sent must not hold back the others
                failed += 1
                self._failed(message, error)
            else:
                sent.append(message.id)
        # Recorded once for the batch: a process killed before this line sends the batch again after the lease.
        record_sent(self.db, sent)
        return Delivery(len(sent), failed)

    def _read(self, ids: Sequence[str]) -> tuple[dict[str, Dossier], dict[str, list[PieceFile]]]:
        """The batch's dossiers and their pièces in upload order, in two queries."""
        with autocommit(self.db) as connection, Session(connection) as session:
            dossiers = {d.id: d for d in session.exec(select(Dossier).where(col(Dossier.id).in_(ids)))}
            query = select(PieceFile).where(col(PieceFile.dossier_id).in_(ids))
            pieces: dict[str, list[PieceFile]] = {}
            for piece in session.exec(query.order_by(col(PieceFile.created_at), col(PieceFile.id))):
                pieces.setdefault(piece.dossier_id, []).append(piece)
        return dossiers, pieces

    def _write(
        self, message: Claimed, dossiers: dict[str, Dossier], pieces: dict[str, list[PieceFile]]
    ) -> tuple[str, str]:
        """The subject and body of one message."""
        dossier = dossiers[message.dossier_id]  # a foreign key: it exists
        if message.kind != RECEIPT:
            raise EngineError(f"sorte de courriel inconnue : {message.kind!r}")
        entry = self.entry(dossier.dispositif, dossier.version)
        depot = entry.dispositif.instruction.depot()
        if depot is not None:
            # The receipt tells the dossier as submitted, even if an agent has moved it on since (a retry hours later).
            # The instance is detached (its session is closed): nothing is written back.
            dossier.etat = depot.vers
        return receipt_message(entry, dossier, pieces.get(dossier.id, []), self.settings, lien=message.link)

    def _failed(self, message: Claimed, error: Exception) -> None:
        text = error.message if isinstance(error, EngineError) else f"{type(error).__name__}: {error}"
        due = f"{record_failure(self.db, message, text):%Y-%m-%d %H:%M} UTC"
        which = f"courriel {message.id} (dossier {message.dossier_id})"
        if isinstance(error, EngineError):
            log.warning("%s non envoyé : %s ; nouvel essai après %s", which, text, due)
        else:  # a bug, not the mail server: the traceback is for the developers
            log.error("%s impossible à écrire ; nouvel essai après %s", which, due, exc_info=error)
