"""Writing a finished document to disk: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_document(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file beside it, then rename.

    A crash or a full disk leaves either the old file or none, never half a PDF.
    """
    path = Path(path).expanduser().resolve()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
