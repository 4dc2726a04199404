"""Sealing bytes with a passphrase: scrypt for the key, AES-256-GCM for secrecy and integrity.

A sealed blob is

    MAGIC | header length (2 bytes, big-endian) | header (JSON) | AES-GCM ciphertext and tag

The header is in clear, so a reader knows how to derive the key: the format name and
version, the scrypt parameters, the salt and the nonce. It holds nothing about the audit.
Header bytes (and the magic and length before them) are the cipher's associated data, so
a change to any byte of the blob makes opening it fail, exactly as a wrong passphrase does.

A *key check* (`scrypt$n$r$p$salt$hash`) lets the app tell whether a passphrase is the
one set for an audit without keeping the passphrase itself.

Pure functions over bytes and strings: no files, no database.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

from audit_app.core.errors import InvalidFileError

MAGIC = b"CFA-PKG\x00"
FORMAT = "case-file-audit-review-package"
FORMAT_VERSION = 2
# scrypt cost: about 0.2 s and 32 MB per derivation on a laptop. Tests lower SCRYPT_N
# (monkeypatched, never from the environment) so that hundreds of packages stay quick;
# a reader always takes the cost from the header it is given.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
# What a reader accepts from a header: enough to open anything we write, not enough for a
# doctored header to make scrypt eat the machine's memory.
_N_RANGE = (2**10, 2**20)
_R_RANGE = (1, 16)
_P_RANGE = (1, 4)
_MAX_MEMORY = 2**28  # scrypt needs 128 * n * r bytes: at most 256 MB
_SALT_BYTES = 16
_NONCE_BYTES = 12
_MAX_HEADER = 4096


class NotSealedError(InvalidFileError):
    """The bytes are not a sealed review package at all (or are cut short before the body)."""


class SealBrokenError(InvalidFileError):
    """The passphrase is wrong, or a byte of the package was changed after it was made."""


@dataclass(frozen=True)
class Cost:
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P


def _derive(passphrase: str, salt: bytes, cost: Cost) -> bytes:
    # cryptography is loaded on first use: the app's window opens without it.
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p).derive(
        passphrase.encode("utf-8"))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def seal(plaintext: bytes, passphrase: str, *, cost: Cost | None = None) -> bytes:
    """Encrypt and authenticate `plaintext` under a key derived from `passphrase`."""
    cost = cost or Cost(SCRYPT_N)
    salt, nonce = os.urandom(_SALT_BYTES), os.urandom(_NONCE_BYTES)
    header = json.dumps({
        "format": FORMAT, "format_version": FORMAT_VERSION, "cipher": "AES-256-GCM",
        "kdf": "scrypt", "n": cost.n, "r": cost.r, "p": cost.p,
        "salt": _b64(salt), "nonce": _b64(nonce)}, sort_keys=True).encode("ascii")
    clear = MAGIC + len(header).to_bytes(2, "big") + header
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return clear + AESGCM(_derive(passphrase, salt, cost)).encrypt(nonce, plaintext, clear)


def read_header(blob: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """The clear header, the associated data (everything before the ciphertext) and the
    ciphertext. Raises `NotSealedError` for anything that is not a sealed package."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 2:
        raise NotSealedError("not a review package")
    size = int.from_bytes(blob[len(MAGIC):len(MAGIC) + 2], "big")
    start = len(MAGIC) + 2
    if size > _MAX_HEADER or len(blob) < start + size:
        raise NotSealedError("damaged: it is cut short")
    try:
        header = json.loads(blob[start:start + size].decode("ascii"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NotSealedError("damaged: its header cannot be read") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise NotSealedError("not a review package")
    return header, blob[:start + size], blob[start + size:]


def _cost_and_secrets(header: dict[str, Any]) -> tuple[Cost, bytes, bytes]:
    n, r, p = header.get("n"), header.get("r"), header.get("p")
    try:
        if not (isinstance(n, int) and isinstance(r, int) and isinstance(p, int)):
            raise ValueError("cost")
        if not (_N_RANGE[0] <= n <= _N_RANGE[1] and n & (n - 1) == 0
                and _R_RANGE[0] <= r <= _R_RANGE[1] and _P_RANGE[0] <= p <= _P_RANGE[1]
                and 128 * n * r <= _MAX_MEMORY):
            raise ValueError("cost")
        salt, nonce = _unb64(header.get("salt")), _unb64(header.get("nonce"))
        if len(salt) < 8 or len(nonce) != _NONCE_BYTES:
            raise ValueError("salt")
    except (ValueError, binascii.Error):
        # A header we did not write is as good as a changed one: refuse the same way.
        raise SealBrokenError("the header was changed") from None
    return Cost(n, r, p), salt, nonce


def unseal(blob: bytes, passphrase: str) -> bytes:
    """The plaintext, or `SealBrokenError` when the passphrase or any byte is wrong.

    Check `read_header(blob)[0]["format_version"]` first to refuse newer formats plainly."""
    header, clear, body = read_header(blob)
    cost, salt, nonce = _cost_and_secrets(header)
    if header.get("cipher") != "AES-256-GCM" or header.get("kdf") != "scrypt":
        raise SealBrokenError("the header was changed")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(_derive(passphrase, salt, cost)).decrypt(nonce, body, clear)
    except InvalidTag:
        raise SealBrokenError("wrong passphrase or changed bytes") from None


# --- key checks ------------------------------------------------------------------------

def make_key_check(passphrase: str, *, cost: Cost | None = None) -> str:
    """`scrypt$n$r$p$salt$hash` for `passphrase`, with a fresh salt: never the passphrase."""
    cost = cost or Cost(SCRYPT_N)
    salt = os.urandom(_SALT_BYTES)
    digest = _derive(passphrase, salt, cost)
    return "$".join(["scrypt", str(cost.n), str(cost.r), str(cost.p), _b64(salt), _b64(digest)])


def key_check_matches(check: str, passphrase: str) -> bool:
    """Whether `passphrase` is the one `check` was made from (False for a malformed check)."""
    parts = check.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        cost, salt, _ = _cost_and_secrets({"n": int(parts[1]), "r": int(parts[2]),
                                           "p": int(parts[3]), "salt": parts[4],
                                           "nonce": _b64(bytes(_NONCE_BYTES))})
        expected = _unb64(parts[5])
    except (ValueError, binascii.Error, SealBrokenError):
        return False
    return hmac.compare_digest(_derive(passphrase, salt, cost), expected)
