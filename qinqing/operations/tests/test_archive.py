"""The archive's SM4-GCM sealing: round trip, wrong key, truncation and tampering are all refused."""

import io

import pytest

from qinqing.operations import archive

KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def _seal(data: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    archive.encrypt_stream(io.BytesIO(data), out, key)
    return out.getvalue()


def _open(sealed: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    archive.decrypt_stream(io.BufferedReader(io.BytesIO(sealed)), out, key)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 10, archive.CHUNK, archive.CHUNK * 2 + 17])
def test_given_data_of_any_size_when_sealed_and_opened_then_it_round_trips(size):
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    sealed = _seal(data)
    assert data not in sealed or size == 0
    assert _open(sealed) == data


def test_given_another_key_when_opened_then_refused_before_decrypting():
    sealed = _seal(b"secret rows")
    with pytest.raises(archive.ArchiveError, match="another key"):
        _open(sealed, bytes(16))


def test_given_a_truncated_archive_when_opened_then_refused():
    sealed = _seal(b"a" * (archive.CHUNK + 100))
    # Cut after the first whole chunk: what is left still authenticates chunk by chunk, but not as complete.
    first_chunk_end = len(archive.MAGIC) + 16 + 4 + archive.CHUNK + archive.TAG
    with pytest.raises(archive.ArchiveError):
        _open(sealed[:first_chunk_end])
    with pytest.raises(archive.ArchiveError):
        _open(sealed[:-5])


def test_given_a_flipped_byte_when_opened_then_refused():
    sealed = bytearray(_seal(b"b" * 1000))
    sealed[60] ^= 0x01
    with pytest.raises(archive.ArchiveError, match="tampered"):
        _open(bytes(sealed))


def test_given_a_key_in_hex_when_parsed_then_128_bits_are_required():
    assert archive.parse_key("00" * 16) == bytes(16)
    with pytest.raises(archive.ArchiveError):
        archive.parse_key("00" * 8)
    with pytest.raises(archive.ArchiveError):
        archive.parse_key("zz" * 16)
