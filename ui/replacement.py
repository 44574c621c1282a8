"""Replacing the database file itself (an import, a restored backup) while it is closed.

A page cannot do this alone: every page holds the open database. So it asks
for a :class:`Replacement`; the window passes the request on to whoever owns
the database (:class:`ui.app.Startup`), which takes the pages down, closes
the database, runs the work on a pool thread, opens the file again and puts
the pages back. The page that asked is gone by then, so what to say at the
end travels with the request as plain data and a plain function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Replacement:
    work: Callable[[Path], Any]  # on a pool thread, the database closed; gets its path
    busy_text: str  # shown in place of the pages meanwhile
    done_title: str
    done_text: Callable[[Any], str]  # the message about ``work``'s result
    failure_title: str
    area: str = "export"  # the area to show when the pages are back
