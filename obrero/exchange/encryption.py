"""Passphrase encryption of an archive, so a lost USB stick exposes nobody's name.

The format (``.zip.enc``), readable with any AES-GCM and scrypt implementation::

    offset  size  content
    0       12    magic b"OBRERO-ENC1\\n"
    12      12    scrypt parameters n, r, p: three unsigned 32-bit big-endian integers
    24      16    salt (random)
    40      12    nonce (random)
    52      ...   AES-256-GCM ciphertext of the whole zip archive, followed by the
                  16-byte GCM tag

The 256-bit key is ``scrypt(passphrase, salt, n, r, p)`` of the passphrase's UTF-8
bytes in Unicode NFC form; Obrero writes n = 2**15, r = 8, p = 1. The 52 header
bytes are the GCM associated data, so the parameters cannot be altered unnoticed.
With Python's ``cryptography``::

    key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())
    zip_bytes = AESGCM(key).decrypt(nonce, data[52:], data[:52])

A wrong passphrase and an altered file look the same to GCM: both fail the tag.
"""

from __future__ import annotations

import os
import struct
import unicodedata
from collections.abc import Callable
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from obrero.errors import ObreroError
from obrero.i18n import _

MAGIC = b"OBRERO-ENC1\n"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SALT_SIZE = 16
NONCE_SIZE = 12
TAG_SIZE = 16
HEADER_SIZE = len(MAGIC) + 12 + SALT_SIZE + NONCE_SIZE
# What a file may ask of scrypt before we refuse it (a crafted header must not eat the PC).
MAX_SCRYPT_N, MAX_SCRYPT_R, MAX_SCRYPT_P = 2**20, 16, 4
MAX_SCRYPT_MEMORY = 256 * 2**20
CHUNK = 1 << 20


class WrongPassphrase(ObreroError):  # noqa: N818 (a message, not a code path)
    """The passphrase does not open the encrypted archive (or the archive was altered)."""


class NotEncrypted(ObreroError):  # noqa: N818 (a message, not a code path)
    """The data is not an Obrero encrypted archive, or its header is damaged."""


def is_encrypted(head: bytes) -> bool:
    """Whether data starting with ``head`` is an Obrero encrypted archive."""
    return head.startswith(MAGIC)


def encrypt_stream(
    source: BinaryIO,
    target: BinaryIO,
    passphrase: str,
    advance: Callable[[int], None] | None = None,
) -> None:
    """Encrypt everything ``source`` holds into ``target`` in the documented format."""
    salt, nonce = os.urandom(SALT_SIZE), os.urandom(NONCE_SIZE)
    header = MAGIC + struct.pack(">III", SCRYPT_N, SCRYPT_R, SCRYPT_P) + salt + nonce
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header)
    target.write(header)
    while chunk := source.read(CHUNK):
        target.write(encryptor.update(chunk))
        if advance:
            advance(len(chunk))
    target.write(encryptor.finalize())
    target.write(encryptor.tag)


def decrypt_stream(
    source: BinaryIO,
    size: int,
    target: BinaryIO,
    passphrase: str,
    advance: Callable[[int], None] | None = None,
) -> None:
    """Decrypt ``size`` bytes of ``source`` into ``target``.

    ``target`` receives plaintext before the tag is checked: use it only if this
    returns without :class:`WrongPassphrase`.
    """
    header = source.read(HEADER_SIZE)
    n, r, p, salt, nonce = _parse_header(header, size)
    key = _derive(passphrase, salt, n, r, p)
    decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).decryptor()
    decryptor.authenticate_additional_data(header)
    left = size - HEADER_SIZE - TAG_SIZE
    while left > 0:
        chunk = source.read(min(CHUNK, left))
        if not chunk:
            raise NotEncrypted(_("The encrypted archive is truncated."))
        left -= len(chunk)
        target.write(decryptor.update(chunk))
        if advance:
            advance(len(chunk))
    tag = source.read(TAG_SIZE)
    try:
        target.write(decryptor.finalize_with_tag(tag))
    except (InvalidTag, ValueError) as error:
        raise WrongPassphrase(_wrong_passphrase()) from error


def decrypt_archive(data: bytes, passphrase: str) -> bytes:
    """The zip archive inside encrypted ``data``; :class:`WrongPassphrase` if it does not open."""
    n, r, p, salt, nonce = _parse_header(data[:HEADER_SIZE], len(data))
    key = _derive(passphrase, salt, n, r, p)
    try:
        return AESGCM(key).decrypt(nonce, data[HEADER_SIZE:], data[:HEADER_SIZE])
    except InvalidTag as error:
        raise WrongPassphrase(_wrong_passphrase()) from error


def _parse_header(header: bytes, size: int) -> tuple[int, int, int, bytes, bytes]:
    if not header.startswith(MAGIC) or len(header) < HEADER_SIZE or size < HEADER_SIZE + TAG_SIZE:
        raise NotEncrypted(
            _("This is not an Obrero encrypted archive, or it is truncated or damaged.")
        )
    n, r, p = struct.unpack(">III", header[len(MAGIC) : len(MAGIC) + 12])
    sane = (
        2 <= n <= MAX_SCRYPT_N
        and n & (n - 1) == 0
        and 1 <= r <= MAX_SCRYPT_R
        and 1 <= p <= MAX_SCRYPT_P
        and 128 * n * r <= MAX_SCRYPT_MEMORY
    )
    if not sane:
        raise NotEncrypted(
            _("The header of the encrypted archive is damaged (its key parameters are invalid).")
        )
    salt_at = len(MAGIC) + 12
    salt = header[salt_at : salt_at + SALT_SIZE]
    nonce = header[salt_at + SALT_SIZE : HEADER_SIZE]
    return n, r, p, salt, nonce


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret)


def _wrong_passphrase() -> str:
    return _(
        "The passphrase is wrong, or the encrypted archive was altered or damaged. "
        "Check the passphrase (capital letters, accents) and try again."
    )
