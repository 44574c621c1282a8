"""Verify an archive: whole, unaltered, signed, and safe to read.

An archive comes from a USB stick that may have been pulled out half-way, or
from someone who wants records changed. Verifying never trusts it: the file is
read with bounded streaming (no file is extracted by its own name), and every
refusal is a problem in the report, never an exception:

- not a zip, truncated or damaged; encrypted without (or with the wrong) passphrase;
- file names that would escape a folder (zip-slip: absolute, ``..``, drive
  letters, backslashes), duplicate names;
- a zip bomb: more than :data:`MAX_MEMBERS` files, more than :data:`MAX_TOTAL_SIZE`
  bytes once expanded, or a file compressed beyond :data:`MAX_RATIO` to 1;
- a manifest missing or unreadable, a signature missing or not matching, a file
  missing, altered (size or SHA-256), or not in the manifest;
- a schema revision newer than this Obrero knows.

A valid signature by a key that is neither this installation's nor pinned by
the person is not a problem but a warning: an import asks before using it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from obrero.errors import ObreroError
from obrero.exchange.archive import (
    CHUNK,
    DATABASE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    METADATA,
    PUBLIC_KEY,
    SIGNATURE,
    UNREADABLE_ZIP_ERRORS,
)
from obrero.exchange.encryption import (
    NotEncrypted,
    WrongPassphrase,
    decrypt_stream,
    is_encrypted,
)
from obrero.exchange.keys import (
    existing_installation_key,
    fingerprint,
    public_key_bytes,
    same_fingerprint,
)
from obrero.i18n import _
from obrero.store.files import SCHEMA_REVISIONS

MAX_MEMBERS = 2_000
MAX_TOTAL_SIZE = 2 * 2**30
# Real records compress up to ~20:1; deflate cannot go past ~1032:1. Small files are exempt.
MAX_RATIO = 200
RATIO_EXEMPT_SIZE = 1 << 20
MAX_METADATA_SIZE = 1 << 20
# An archive is smaller than what it expands to, plus the zip's own bookkeeping.
MAX_ARCHIVE_SIZE = MAX_TOTAL_SIZE + (64 << 20)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SAFE_PART = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ArchiveReport:
    """What verifying an archive found. ``ok`` means no problems (warnings may remain)."""

    ok: bool
    problems: tuple[str, ...]
    manifest: dict | None
    fingerprint: str
    signed_here: bool
    trusted: bool
    warnings: tuple[str, ...] = ()
    encrypted: bool = False


def verify_archive(
    path: Path,
    passphrase: str | None = None,
    trusted_fingerprints: frozenset[str] = frozenset(),
) -> ArchiveReport:
    """Check ``path``: manifest, every file's size and SHA-256, signature and safety limits."""
    return examine(Path(path), passphrase, trusted_fingerprints)


class CopyFailed(Exception):  # noqa: N818 (re-raised, never shown)
    """Writing a copy of a member (for :func:`examine`'s ``extract``) failed."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Findings:
    """What an examination gathers on its way; turned into an :class:`ArchiveReport`."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    manifest: dict | None = None
    fingerprint: str = ""
    signature_valid: bool = False
    signed_here: bool = False
    trusted: bool = False
    encrypted: bool = False

    def report(self) -> ArchiveReport:
        return ArchiveReport(
            ok=not self.problems,
            problems=tuple(self.problems),
            manifest=self.manifest,
            fingerprint=self.fingerprint,
            signed_here=self.signed_here,
            trusted=self.trusted,
            warnings=tuple(self.warnings),
            encrypted=self.encrypted,
        )


def examine(
    path: Path,
    passphrase: str | None = None,
    trusted_fingerprints: frozenset[str] = frozenset(),
    extract: dict[str, BinaryIO] | None = None,
) -> ArchiveReport:
    """Verify ``path``; the files named in ``extract`` are also copied, as they are hashed.

    A copied file is what the report vouches for only if the report is ``ok``.
    A failure to write a copy raises :class:`CopyFailed`.
    """
    found = _Findings()
    try:
        with _plain_zip(path, passphrase, found) as source:
            if source is not None:
                _examine_zip(source, found, trusted_fingerprints, extract or {})
    except CopyFailed:
        raise  # the copy's side failed, not the archive
    except UNREADABLE_ZIP_ERRORS as error:
        found.problems.append(_damaged(path, error))
    except OSError as error:
        if error.errno == errno.EINVAL:  # a seek to where a damaged zip points
            found.problems.append(_damaged(path, error))
        else:
            message = _("{file} cannot be read: {error}")
            found.problems.append(message.format(file=path.name, error=error.strerror or error))
    except (WrongPassphrase, NotEncrypted) as error:
        found.problems.append(error.message)
    except Exception as error:  # the last line of defence against a hostile file
        found.problems.append(_damaged(path, error))
    return found.report()


@contextlib.contextmanager
def _plain_zip(path: Path, passphrase: str | None, found: _Findings) -> Iterator[BinaryIO | None]:
    """The zip inside ``path``: the file itself, or its decryption in a temporary file."""
    if not path.is_file():
        found.problems.append(_("{file} does not exist or is not a file.").format(file=path))
        yield None
        return
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_ARCHIVE_SIZE + 64:
            found.problems.append(
                _("{file} is too large to be an Obrero archive ({size} MB).").format(
                    file=path.name, size=size >> 20
                )
            )
            yield None
            return
        found.encrypted = is_encrypted(handle.read(64))
        handle.seek(0)
        if not found.encrypted:
            yield handle
            return
        if passphrase is None:
            found.problems.append(
                _("{file} is encrypted: enter its passphrase to open it.").format(file=path.name)
            )
            yield None
            return
        with tempfile.TemporaryFile() as plain:
            decrypt_stream(handle, size, plain, passphrase)
            plain.seek(0)
            yield plain


def _examine_zip(
    source: BinaryIO,
    found: _Findings,
    trusted_fingerprints: frozenset[str],
    extract: dict[str, BinaryIO],
) -> None:
    declared = _declared_member_count(source)
    if declared is not None and declared > MAX_MEMBERS:
        found.problems.append(_too_many(declared))
        return
    with zipfile.ZipFile(source) as archive:
        members = _safe_members(archive, found)
        if members is None:
            return
        manifest_bytes = _read_metadata(archive, members, MANIFEST, found)
        if manifest_bytes is None:
            found.problems.append(
                _("manifest.json is missing: this is not an Obrero archive, or it is incomplete.")
            )
            return
        manifest = _parse_manifest(manifest_bytes, found)
        _check_signature(archive, members, manifest_bytes, manifest, found, trusted_fingerprints)
        if manifest is None:
            return
        found.manifest = manifest
        _check_versions(manifest, found)
        _check_files(archive, members, manifest, found, extract)


def _declared_member_count(source: BinaryIO) -> int | None:
    """The number of files the zip's end record declares, read before zipfile parses them all.

    The end record must end the file: zipfile would also accept one further back,
    such as the end of the ODS file stored inside a truncated archive.
    """
    source.seek(0, os.SEEK_END)
    size = source.tell()
    tail_size = min(size, 22 + 0xFFFF)
    source.seek(size - tail_size)
    tail = source.read(tail_size)
    source.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise zipfile.BadZipFile(_("the end of the zip file is missing"))
    count, comment = struct.unpack("<H", tail[at + 10 : at + 12])[0], tail[at + 20 : at + 22]
    if at + 22 + struct.unpack("<H", comment)[0] != len(tail):
        raise zipfile.BadZipFile(_("the end of the zip file is missing"))
    return None if count == 0xFFFF else count  # 0xFFFF: the count is in a zip64 record


def _safe_members(archive: zipfile.ZipFile, found: _Findings) -> dict[str, zipfile.ZipInfo] | None:
    """Name -> entry of the members safe to read; ``None`` when the whole zip is refused."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        found.problems.append(_too_many(len(infos)))
        return None
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_SIZE:
        found.problems.append(
            _(
                "The archive would expand to {size} MB, more than an Obrero archive may hold "
                "({limit} MB). It was not opened (it may be a zip bomb)."
            ).format(size=total >> 20, limit=MAX_TOTAL_SIZE >> 20)
        )
        return None
    members: dict[str, zipfile.ZipInfo] = {}
    refused = False
    for info in infos:
        name = info.filename
        if not is_safe_name(name):
            found.problems.append(
                _(
                    "{name}: this file name points outside the archive's folder (zip-slip). "
                    "The archive was not opened."
                ).format(name=_shown(name))
            )
            refused = True
        elif name in members:
            found.problems.append(_("{name} is in the archive twice.").format(name=_shown(name)))
            refused = True
        elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Obrero writes only these; other decompressors do not bound their output.
            found.problems.append(
                _("{name} is compressed in a way Obrero never writes.").format(name=_shown(name))
            )
            refused = True
        elif info.file_size > RATIO_EXEMPT_SIZE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            found.problems.append(
                _(
                    "{name} is compressed more than {ratio} to 1, far more than records "
                    "compress. The archive was not opened (it may be a zip bomb)."
                ).format(name=_shown(name), ratio=MAX_RATIO)
            )
            refused = True
        else:
            members[name] = info
    return None if refused else members


def is_safe_name(name: str) -> bool:
    """Whether a member name stays inside a folder on every system (no zip-slip)."""
    if not name or len(name) > 255 or name.startswith("/"):
        return False
    if any(character in name for character in ("\\", ":", "\x00")):
        return False
    parts = name.removesuffix("/").split("/")  # "csv/" is a folder entry
    return all(part not in ("", ".", "..") for part in parts)


def _read_metadata(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    name: str,
    found: _Findings,
) -> bytes | None:
    info = members.get(name)
    if info is None:
        return None
    if info.file_size > MAX_METADATA_SIZE:
        found.problems.append(_("{name} is too large to be what it says.").format(name=name))
        return b""
    try:
        with archive.open(info) as member:
            return member.read(MAX_METADATA_SIZE + 1)
    except UNREADABLE_ZIP_ERRORS as error:
        found.problems.append(_unreadable_member(name, error))
        return b""


def _parse_manifest(data: bytes, found: _Findings) -> dict | None:
    try:
        manifest = json.loads(data.decode("utf-8"))
        _check_manifest_shape(manifest)
    except (UnicodeDecodeError, json.JSONDecodeError, _ManifestError) as error:
        found.problems.append(
            _(
                "manifest.json cannot be read ({reason}), so nothing in the archive can be checked."
            ).format(reason=_reason(error))
        )
        return None
    return manifest


class _ManifestError(ValueError):
    pass


def _check_manifest_shape(manifest: Any) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _ManifestError(_("it is not an Obrero manifest"))
    if not isinstance(manifest.get("format_version"), int):
        raise _ManifestError(_("it has no format version"))
    if not isinstance(manifest.get("schema_revision"), str):
        raise _ManifestError(_("it has no schema revision"))
    files = manifest.get("files")
    if not isinstance(files, list):
        raise _ManifestError(_("it has no list of files"))
    names = set()
    for entry in files:
        valid = (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and is_safe_name(entry["name"])
            and not entry["name"].endswith("/")
            and entry["name"] not in METADATA
            and entry["name"] not in names
            and isinstance(entry.get("size"), int)
            and not isinstance(entry.get("size"), bool)
            and entry["size"] >= 0
            and isinstance(entry.get("sha256"), str)
            and _HEX64.fullmatch(entry["sha256"])
        )
        if not valid:
            raise _ManifestError(_("an entry of its list of files is invalid"))
        names.add(entry["name"])
    if DATABASE not in names:
        raise _ManifestError(_("it does not list database.sqlite3"))


def _check_signature(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    manifest_bytes: bytes,
    manifest: dict | None,
    found: _Findings,
    trusted_fingerprints: frozenset[str],
) -> None:
    signature = _read_metadata(archive, members, SIGNATURE, found)
    pem = _read_metadata(archive, members, PUBLIC_KEY, found)
    if signature is None:
        found.problems.append(_("manifest.sig is missing: the archive is not signed."))
    key = _public_key(pem)
    if key is None:
        found.problems.append(
            _(
                "public_key.pem is missing or is not an Ed25519 public key: the signature "
                "cannot be checked."
            )
        )
    if signature is None or key is None:
        return
    found.fingerprint = fingerprint(public_key_bytes(key))
    signer = manifest.get("signer") if manifest else None
    if isinstance(signer, str) and not same_fingerprint(signer, found.fingerprint):
        found.problems.append(
            _(
                "public_key.pem is not the key that signed this archive: the manifest names "
                "{signer}, the key in the archive is {fingerprint}."
            ).format(signer=_shown(signer), fingerprint=found.fingerprint)
        )
    try:
        key.verify(signature, manifest_bytes)
    except InvalidSignature:
        found.problems.append(
            _(
                "manifest.sig does not match manifest.json and public_key.pem: the manifest, "
                "the signature or the key was altered."
            )
        )
        return
    found.signature_valid = True
    try:
        own = existing_installation_key()
    except ObreroError as error:  # a damaged key file here: nothing is "signed here"
        own = None
        found.warnings.append(error.message)
    found.signed_here = own is not None and same_fingerprint(
        fingerprint(public_key_bytes(own)), found.fingerprint
    )
    found.trusted = found.signed_here or any(
        same_fingerprint(pinned, found.fingerprint) for pinned in trusted_fingerprints
    )
    if not found.trusted:
        found.warnings.append(
            _(
                "Signed by another installation (fingerprint {fingerprint}). Import it only if "
                "whoever sent it confirms this fingerprint."
            ).format(fingerprint=found.fingerprint)
        )


def _public_key(pem: bytes | None) -> Ed25519PublicKey | None:
    if not pem:
        return None
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def _check_versions(manifest: dict, found: _Findings) -> None:
    if manifest["format_version"] > FORMAT_VERSION:
        found.problems.append(
            _(
                "The archive is in a newer format ({version}) than this Obrero reads. "
                "Install a newer Obrero to open it."
            ).format(version=manifest["format_version"])
        )
    revision = manifest["schema_revision"]
    if revision not in SCHEMA_REVISIONS:
        found.problems.append(
            _(
                "The archive was made by a newer version of Obrero (schema {revision}). "
                "Install that version to open it."
            ).format(revision=_shown(revision))
        )


def _check_files(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    manifest: dict,
    found: _Findings,
    extract: dict[str, BinaryIO],
) -> None:
    listed = {entry["name"]: entry for entry in manifest["files"]}
    for name, entry in listed.items():
        info = members.get(name)
        if info is None:
            found.problems.append(
                _("{name} is listed in the manifest but missing from the archive.").format(
                    name=name
                )
            )
            continue
        if info.file_size != entry["size"]:
            found.problems.append(_altered(name))
            continue
        try:
            digest = _sha256(archive, info, extract.get(name))
        except UNREADABLE_ZIP_ERRORS as error:
            found.problems.append(_unreadable_member(name, error))
            continue
        if digest != entry["sha256"]:
            found.problems.append(_altered(name))
    for name in members:
        if name not in listed and name not in METADATA and not _is_folder_of(name, listed):
            found.problems.append(
                _("{name} is in the archive but not in the manifest (an unexpected file).").format(
                    name=_shown(name)
                )
            )


def _sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo, copy: BinaryIO | None) -> str:
    """The SHA-256 of a member, read in bounded chunks (and copied to ``copy`` if given)."""
    digest = hashlib.sha256()
    left = info.file_size
    with archive.open(info) as member:
        while left > 0 and (chunk := member.read(min(CHUNK, left))):
            left -= len(chunk)
            digest.update(chunk)
            if copy is not None:
                try:
                    copy.write(chunk)
                except OSError as error:
                    raise CopyFailed(error) from error
    return digest.hexdigest()


def _is_folder_of(name: str, listed: dict[str, dict]) -> bool:
    """A folder entry some zip tools add ("csv/"), holding nothing itself."""
    return name.endswith("/") and any(other.startswith(name) for other in listed)


# --- Messages ------------------------------------------------------------------------------


def _damaged(path: Path, error: BaseException) -> str:
    return _(
        "{file} is not a readable Obrero archive: it is not a zip file, or it is truncated "
        "or damaged ({reason})."
    ).format(file=path.name, reason=_reason(error))


def _unreadable_member(name: str, error: BaseException) -> str:
    return _("{name} is damaged and cannot be read ({reason}).").format(
        name=name, reason=_reason(error)
    )


def _altered(name: str) -> str:
    return _("{name} was altered: its contents do not match the manifest (SHA-256).").format(
        name=name
    )


def _too_many(count: int) -> str:
    return _(
        "The archive holds {count} files; an Obrero archive holds at most {limit}. It was not "
        "opened (it may be a zip bomb)."
    ).format(count=count, limit=MAX_MEMBERS)


def _reason(error: BaseException) -> str:
    text = error.message if isinstance(error, ObreroError) else str(error)
    return text or type(error).__name__


def _shown(name: str) -> str:
    """A file name from the archive, made printable and short for a message."""
    printable = "".join(character if character.isprintable() else "?" for character in name)
    return printable if len(printable) <= 80 else printable[:77] + "..."
