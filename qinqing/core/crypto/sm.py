"""SM3 and SM4 one value at a time, through the ``cryptography`` package (OpenSSL).

These are the reference the vectorised code (``vector``) is tested against, and what decrypts a single
stored value. SM4 runs in GCM mode (GB/T 36624 lists it for SM4; the installed OpenSSL provides it): one
primitive gives secrecy and integrity, so a changed ciphertext fails to decrypt instead of yielding
another number. The ``gmssl`` package is not used (SECURITY.md: its SM2 uses a non-cryptographic RNG).
"""

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16


class DecryptionError(ValueError):
    """The stored value was changed, or it was sealed under another key."""


def sm3(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    return hmac.digest(key, data, "sm3")


def sm4_ecb_encrypt(key: bytes, blocks: bytes) -> bytes:
    """Raw SM4 on whole 16-byte blocks (the GB/T 32907 known-answer test, and the counter blocks of
    the vectorised GCM)."""
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 -- raw blocks: KAT, GCM counters
    return encryptor.update(blocks) + encryptor.finalize()


def sm4_ecb_decrypt(key: bytes, blocks: bytes) -> bytes:
    decryptor = Cipher(algorithms.SM4(key), modes.ECB()).decryptor()  # noqa: S305 -- raw blocks: KAT
    return decryptor.update(blocks) + decryptor.finalize()


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, aad: bytes = b"", nonce: bytes | None = None) -> bytes:
    """nonce (12) || ciphertext || tag (16)."""
    nonce = nonce or os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if aad:
        encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + body + encryptor.tag


def sm4_gcm_decrypt(key: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("ciphertext too short")
    nonce, body, tag = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if aad:
        decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise DecryptionError("authentication tag does not verify") from exc
