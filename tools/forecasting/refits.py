"""The refit of the forecasts per data version, in the database: a lease so that one process of many does
the work, and the mark that it finished (every stored series then matches that version's data).

One row per data version in `forecast_refits` (its primary key): the process whose INSERT wins holds the
lease; a lease whose holder died (past `lease_until`, not finished) is taken over with one conditional
UPDATE. A full batch that fitted every series records the finish, whoever started it (`forecast run` too).
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core import clock
from core.db import Database
from core.models import ForecastRefit

# How long a refit may hold its claim before another process may take it over (the whole demo catalogue
# refits in well under a minute; a holder that died frees the work after this).
REFIT_LEASE = timedelta(minutes=15)


def process_owner() -> str:
    """Who holds a refit lease: host, process and thread (several servers may share one database)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:128]


def claim_refit(db: Database, version: int, owner: str, at: datetime | None = None) -> bool:
    """Claim the refit of data version `version`; False when another process holds it or it is done."""
    at = at or clock.now()
    try:
        with db.session() as session:
            session.add(ForecastRefit(data_version=version, owner=owner, started_at=at,
                                      lease_until=at + REFIT_LEASE, finished_at=None))
        return True
    except IntegrityError:
        pass
    with db.session() as session:  # an abandoned claim (its holder died) is taken over
        taken = session.execute(update(ForecastRefit)
                                .where(ForecastRefit.data_version == version, ForecastRefit.finished_at.is_(None),
                                       ForecastRefit.lease_until < at)
                                .values(owner=owner, started_at=at, lease_until=at + REFIT_LEASE))
        return bool(getattr(taken, "rowcount", 0))


def finish_refit(db: Database, version: int, owner: str, at: datetime | None = None) -> None:
    """Record that the refit of `version` finished: every stored series now matches that data."""
    at = at or clock.now()
    for _attempt in range(2):  # a row inserted by another process between the UPDATE and the INSERT
        with db.session() as session:
            done = session.execute(update(ForecastRefit).where(ForecastRefit.data_version == version)
                                   .values(finished_at=at))
            if getattr(done, "rowcount", 0):
                return
        try:
            with db.session() as session:
                session.add(ForecastRefit(data_version=version, owner=owner, started_at=at, lease_until=at,
                                          finished_at=at))
            return
        except IntegrityError:
            continue


def release_refit(db: Database, version: int, owner: str) -> None:
    """Give up a claim (the refit failed), so the next process that notices may try again."""
    with db.session() as session:
        session.execute(update(ForecastRefit).where(ForecastRefit.data_version == version,
                                                    ForecastRefit.owner == owner,
                                                    ForecastRefit.finished_at.is_(None))
                        .values(lease_until=datetime(2000, 1, 1)))


def refit_finished(db: Database, version: int) -> bool:
    """True when the refit of data version `version` has finished (the store matches it)."""
    with db.sessions() as session:
        finished = session.scalar(select(ForecastRefit.finished_at).where(ForecastRefit.data_version == version))
    return finished is not None
