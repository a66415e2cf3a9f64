"""SM3/SM4 known answers (GB/T 32905, GB/T 32907), the vectorised column code against the one-value
code, sealing, blind indexes and the key provider."""

import base64
import json
import random

import pytest

from qinqing.core import crypto
from qinqing.core.crypto import keys, sm, vector

SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def test_sm4_known_answer_gbt_32907_example_1():
    # GB/T 32907-2016 appendix A, example 1: one block, key = plaintext.
    assert sm.sm4_ecb_encrypt(SM4_KEY, SM4_KEY).hex() == "681edf34d206965e86b3e94f536e4246"
    assert sm.sm4_ecb_decrypt(SM4_KEY, bytes.fromhex("681edf34d206965e86b3e94f536e4246")) == SM4_KEY


def test_sm4_known_answer_gbt_32907_example_2_one_million_iterations():
    # Example 2: the same key, the plaintext encrypted 1,000,000 times (≈1 s: one ECB context reused).
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    step = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor().update
    block = SM4_KEY
    for _ in range(1_000_000):
        block = step(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"


def test_sm3_known_answers_gbt_32905():
    # GB/T 32905-2016 appendix A, examples 1 ("abc") and 2 ("abcd" × 16).
    expected_abc = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    expected_64 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    assert sm.sm3(b"abc").hex() == expected_abc
    assert sm.sm3(b"abcd" * 16).hex() == expected_64


def test_vectorised_hmac_sm3_equals_one_value_hmac():
    rng = random.Random(5)
    key = bytes(rng.randrange(256) for _ in range(32))
    values = [bytes(rng.randrange(256) for _ in range(rng.randint(0, 80))) for _ in range(500)]
    values += values[:50]  # repeated values are hashed once and answered alike
    assert vector.hmac_sm3_many(key, values) == [sm.hmac_sm3(key, v) for v in values]
    long_key = bytes(100)
    assert vector.hmac_sm3_many(long_key, values[:5]) == [sm.hmac_sm3(long_key, v) for v in values[:5]]


def test_vectorised_sm4_gcm_opens_with_openssl_and_back():
    rng = random.Random(6)
    values = [bytes(rng.randrange(256) for _ in range(rng.randint(0, 60))) for _ in range(400)]
    sealed = vector.sm4_gcm_encrypt_many(SM4_KEY, values, b"aad")
    assert [sm.sm4_gcm_decrypt(SM4_KEY, s, b"aad") for s in sealed] == values
    by_openssl = [sm.sm4_gcm_encrypt(SM4_KEY, v, b"aad") for v in values]
    assert vector.sm4_gcm_decrypt_many(SM4_KEY, by_openssl, b"aad") == values


def test_gcm_with_a_fixed_nonce_matches_openssl_byte_for_byte(monkeypatch):
    nonce = bytes(range(12))
    monkeypatch.setattr(vector.os, "urandom", lambda n: nonce * (n // 12))
    ours = vector.sm4_gcm_encrypt_many(SM4_KEY, [b"430621199001011234", b"13912345678"], b"k")
    assert ours == [sm.sm4_gcm_encrypt(SM4_KEY, v, b"k", nonce) for v in (b"430621199001011234", b"13912345678")]


def test_a_changed_ciphertext_does_not_open():
    sealed = bytearray(vector.sm4_gcm_encrypt_many(SM4_KEY, [b"13912345678"])[0])
    sealed[14] ^= 1
    with pytest.raises(sm.DecryptionError):
        vector.sm4_gcm_decrypt_many(SM4_KEY, [bytes(sealed)])
    with pytest.raises(sm.DecryptionError):
        sm.sm4_gcm_decrypt(SM4_KEY, bytes(sealed))


def test_seal_and_open_round_trip_with_key_id():
    token = crypto.seal("430621199001011234")
    assert token.startswith("sm4:t1:") and "4306211990" not in token
    assert crypto.open(token) == "430621199001011234"
    assert crypto.seal("") == "" and crypto.seal(None) is None
    assert crypto.open("13912345678") == "13912345678"  # not (yet) sealed: as it is
    values = ["", "13912345678", None, "张三", "13912345678"]
    tokens = crypto.seal_many(values)
    assert tokens[1] != tokens[4]  # a fresh nonce each time
    assert crypto.open_many(tokens) == values


def test_a_value_moved_under_another_key_id_does_not_open(settings):
    settings.QINQING_DATA_KEYS = "t1:" + "11" * 16 + ",t2:" + "11" * 16  # same key, other id
    token = crypto.seal("13912345678", key_id="t1")
    moved = token.replace("sm4:t1:", "sm4:t2:")
    with pytest.raises(crypto.DecryptionError):
        crypto.open(moved)


def test_blind_index_is_deterministic_keyed_and_128_bits(settings):
    a = crypto.blind_index("13912345678")
    assert a == crypto.blind_index("13912345678") and len(a) == 32
    assert a != crypto.blind_index("13912345679")
    assert crypto.blind_index("") == ""
    settings.QINQING_INDEX_KEYS = "ti2:" + "33" * 32
    assert crypto.blind_index("13912345678") != a


def test_lookups_match_every_configured_index_key(settings):
    old = crypto.blind_index("13912345678")
    settings.QINQING_INDEX_KEYS = "ti1:" + "22" * 32 + ",ti2:" + "33" * 32  # ti2 now current
    new = crypto.blind_index("13912345678")
    assert new != old
    assert set(crypto.blind_index_candidates(["13912345678"])) == {old, new}


def test_rotation_keeps_old_values_readable(settings):
    token = crypto.seal("13912345678")
    settings.QINQING_DATA_KEYS = "t1:" + "11" * 16 + ",t2:" + "44" * 16
    assert keys.provider().current_data_key_id() == "t2"
    assert crypto.open(token) == "13912345678"
    assert crypto.key_id_of(crypto.seal("x")) == "t2"
    settings.QINQING_DATA_KEYS = "t2:" + "44" * 16  # t1 removed too early
    with pytest.raises(crypto.UnknownKey):
        crypto.open(token)


def test_key_file_provider(settings, tmp_path):
    path = tmp_path / "keys.json"
    doc = keys.new_key_document("d7", "i7")
    path.write_text(json.dumps(doc))
    settings.QINQING_KEY_FILE = str(path)
    p = keys.provider()
    assert p.source == "file" and p.current_data_key_id() == "d7"
    assert crypto.key_id_of(crypto.seal("x")) == "d7"


def test_default_key_file_only_in_single_machine_mode(settings, tmp_path, monkeypatch):
    settings.QINQING_DATA_KEYS = settings.QINQING_INDEX_KEYS = ""
    monkeypatch.setattr(keys, "default_key_file", lambda: tmp_path / "var" / "crypto_keys.json")
    settings.QINQING_ALLOW_LOCAL_SECRET = True
    assert keys.provider().source == "default"
    assert oct((tmp_path / "var" / "crypto_keys.json").stat().st_mode & 0o777) == "0o600"
    settings.QINQING_ALLOW_LOCAL_SECRET = False
    keys.reset()
    with pytest.raises(crypto.UnknownKey):
        keys.provider()


def test_bad_keys_are_refused(settings):
    settings.QINQING_DATA_KEYS = "t1:abcd"
    with pytest.raises(ValueError):
        keys.provider()
    settings.QINQING_DATA_KEYS = "bad id:" + "11" * 16
    with pytest.raises(ValueError):
        keys.provider()


def test_sealed_text_is_base64_of_nonce_ciphertext_tag():
    token = crypto.seal("13912345678")
    raw = base64.b64decode(token.split(":", 2)[2])
    assert len(raw) == 12 + 11 + 16
    assert sm.sm4_gcm_decrypt(bytes.fromhex("11" * 16), raw, b"qinqing:t1") == b"13912345678"


def test_share_equal_seals_each_distinct_value_once_with_its_own_nonce():
    values = ["430621199001011234", "13912345678", "430621199001011234", ""]
    tokens = crypto.seal_many(values, share_equal=True)
    assert tokens[0] == tokens[2] and tokens[0] != tokens[1] and tokens[3] == ""
    nonce = lambda t: base64.b64decode(t.split(":", 2)[2])[:12]  # noqa: E731
    assert nonce(tokens[0]) != nonce(tokens[1])
    assert crypto.open_many(tokens) == values
