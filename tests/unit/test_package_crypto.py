"""Sealing bytes with a passphrase (scrypt + AES-256-GCM), and passphrase check values."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.io import package_crypto
from audit_app.io.package_crypto import (
    MAGIC,
    Cost,
    NotSealedError,
    SealBrokenError,
    key_check_matches,
    make_key_check,
    read_header,
    seal,
    unseal,
)

QUICK = Cost(n=2**10)


def test_the_default_cost_is_strong() -> None:
    assert package_crypto.SCRYPT_N >= 2**15 and package_crypto.SCRYPT_R >= 8


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=2000), st.text(min_size=1, max_size=40))
def test_what_is_sealed_opens_with_its_passphrase_only(plain: bytes, passphrase: str) -> None:
    sealed = seal(plain, passphrase, cost=QUICK)
    assert unseal(sealed, passphrase) == plain
    with pytest.raises(SealBrokenError):
        unseal(sealed, passphrase + "x")
    if len(plain) >= 8:
        # The contents are nowhere in the ciphertext (the clear header is fixed wording
        # that a plaintext may happen to repeat).
        _header, _clear, body = read_header(sealed)
        assert plain not in body


def test_the_clear_header_holds_only_how_to_derive_the_key() -> None:
    header, clear, body = read_header(seal(b"secret audit", "a long passphrase", cost=QUICK))
    assert set(header) == {"format", "format_version", "cipher", "kdf", "n", "r", "p", "salt",
                           "nonce"}
    assert clear.startswith(MAGIC) and len(body) == len(b"secret audit") + 16  # GCM tag


def _with_header(sealed: bytes, **changes: object) -> bytes:
    header, _, body = read_header(sealed)
    text = json.dumps({**header, **changes}, sort_keys=True).encode("ascii")
    return MAGIC + len(text).to_bytes(2, "big") + text + body


@pytest.mark.parametrize("changes", [{"n": 2**24}, {"n": 3000}, {"r": 64}, {"p": "1"},
                                     {"salt": "not base64!"}, {"nonce": "AAAA"},
                                     {"cipher": "none"}, {"n": 2**11}])
def test_a_doctored_header_is_refused_without_a_costly_derivation(
        changes: dict[str, object]) -> None:
    sealed = seal(b"answers", "a long passphrase", cost=QUICK)
    with pytest.raises(SealBrokenError):
        unseal(_with_header(sealed, **changes), "a long passphrase")


@pytest.mark.parametrize("blob", [b"", b"CFA-PKG", MAGIC + b"\xff\xff", MAGIC + b"\x00\x05{}",
                                  b"PK\x03\x04 a zip", MAGIC + b"\x00\x02[]"])
def test_what_is_not_a_sealed_package_says_so(blob: bytes) -> None:
    with pytest.raises(NotSealedError):
        unseal(blob, "a long passphrase")


def test_key_checks_recognise_the_passphrase_and_nothing_else(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_crypto, "SCRYPT_N", 2**10)
    check = make_key_check("a long passphrase")
    assert "a long passphrase" not in check and check.count("$") == 5
    assert key_check_matches(check, "a long passphrase")
    assert not key_check_matches(check, "a long passphrasE")
    assert make_key_check("a long passphrase") != check  # a fresh salt each time
    for broken in ("", "scrypt$1024$8$1$x$y", "md5$1$2$3$4$5", check.replace("$1024$", "$2$"),
                   "scrypt$1048576$16$1$" + check.split("$", 4)[4]):
        assert not key_check_matches(broken, "a long passphrase")
