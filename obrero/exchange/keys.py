"""The installation's signing key: made once, kept private, shown as a short fingerprint.

Every archive this installation exports carries an Ed25519 signature of its
manifest and the public half of the key. A receiver pins the key by its
fingerprint (the first 16 hex digits of the SHA-256 of the raw public key, in
groups of four, e.g. ``3F2A 9C01 77BE 0D45``), which the UI shows and documents
print, so an archive re-signed by someone else stands out.

The private key is a PKCS#8 PEM file, readable only by its owner (mode 0600),
in the user's configuration folder; it never leaves the PC.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from obrero.errors import ObreroError
from obrero.i18n import _

KEY_FILENAME = "installation-key.pem"
FINGERPRINT_DIGITS = 16


def key_path(config_dir: Path | None = None) -> Path:
    """Where the installation key is kept (in ``config_dir`` if given)."""
    if config_dir is None:
        from platformdirs import user_config_path

        config_dir = user_config_path("Obrero", appauthor=False)
    return Path(config_dir) / KEY_FILENAME


def installation_key(config_dir: Path | None = None) -> Ed25519PrivateKey:
    """This installation's signing key, made on first use and kept from then on."""
    path = key_path(config_dir)
    key = existing_installation_key(config_dir)
    if key is not None:
        return key
    try:
        _create(path)
    except OSError as error:
        raise ObreroError(
            _(
                "The key that signs this installation's archives cannot be created in "
                "{folder}: {error}"
            ).format(folder=path.parent, error=error.strerror or error)
        ) from error
    key = existing_installation_key(config_dir)
    assert key is not None  # just written (or written by a concurrent Obrero)
    return key


def existing_installation_key(config_dir: Path | None = None) -> Ed25519PrivateKey | None:
    """The installation key if one was made already; ``None`` otherwise (nothing is created)."""
    path = key_path(config_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _damaged(path, error.strerror or str(error)) from error
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise _damaged(path, str(error)) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise _damaged(path, _("it is not an Ed25519 key"))
    return key


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The raw 32 bytes of the public half of ``key``."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_key: bytes) -> str:
    """A short, human-copyable name of a raw public key, e.g. ``3F2A 9C01 77BE 0D45``."""
    digits = hashlib.sha256(public_key).hexdigest()[:FINGERPRINT_DIGITS].upper()
    return " ".join(digits[start : start + 4] for start in range(0, FINGERPRINT_DIGITS, 4))


def same_fingerprint(first: str, second: str) -> bool:
    """Whether two fingerprints are the same, however they were typed (spaces, case)."""
    return "".join(first.split()).upper() == "".join(second.split()).upper() != ""


def _create(path: Path) -> None:
    """Write a new key to ``path`` atomically; a key another Obrero made meanwhile wins."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".installation-key-")
    try:
        with os.fdopen(handle, "wb") as file:  # mkstemp makes it 0600
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)  # fails if the key exists: never replace a key
        except FileExistsError:
            pass
        except OSError:
            if not path.exists():  # a file system without hard links
                os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _damaged(path: Path, reason: str) -> ObreroError:
    return ObreroError(
        _(
            "The key that signs this installation's archives ({path}) cannot be read: "
            "{reason}. Move the file aside to make a new key; archives signed with the old "
            "one will then show as signed by another installation."
        ).format(path=path, reason=reason)
    )
