"""How an anonymous survey keeps one answer per enterprise without linking it to the enterprise.

Two keyed hashes of the pair (survey, enterprise), with the blind-index key of qinqing.core.crypto (HMAC-SM3,
key held outside the database) and two different domain prefixes:

- the **receipt** ``H(k, "survey-receipt:S:E")`` is stored alone in ``Receipt`` (no time, no response);
  it says "E answered S" (progress, reminders to non-respondents, one response per enterprise);
- the **edit key** ``H(k, "survey-edit:S:E")`` is stored on the response, so the enterprise can reopen its
  own answer until the survey closes.

Neither hash can be computed, nor the two be matched to each other, without the key, and the platform
offers no page, API or export that computes them for anybody but the signed-in enterprise itself. The
response has a random UUID key (no sequence to line up with the audit log or receipts), no enterprise, no
user and no date. The audit row of an anonymous answer names the survey only. What remains: whoever holds
the index key AND raw database access could recompute edit keys for every enterprise (the price of
editable anonymous answers); that is outside the platform, like the data key itself.
"""

from __future__ import annotations

from qinqing.core.crypto import INDEX_HEX, provider


def _values(prefix: str, survey_id: int, enterprise_ids: list) -> list[bytes]:
    return [f"survey-{prefix}:{survey_id}:{e}".encode() for e in enterprise_ids]


def current(prefix: str, survey_id: int, enterprise_id) -> str:
    """The hash under the current index key (what is written)."""
    (digests,) = provider().blind_indexes_many(_values(prefix, survey_id, [enterprise_id]))
    return digests[0].hex()[:INDEX_HEX]


def candidates(prefix: str, survey_id: int, enterprise_ids: list) -> dict:
    """Every hash each enterprise's pair may be stored under (all configured index keys): what is looked up."""
    if not enterprise_ids:
        return {}
    found = provider().blind_indexes_many(_values(prefix, survey_id, enterprise_ids), all_keys=True)
    out: dict[int, set[str]] = {e: set() for e in enterprise_ids}
    for per_key in found:
        for enterprise_id, digest in zip(enterprise_ids, per_key, strict=True):
            out[enterprise_id].add(digest.hex()[:INDEX_HEX])
    return out


def receipt(survey_id: int, enterprise_id: int) -> str:
    return current("receipt", survey_id, enterprise_id)


def edit_key(survey_id: int, enterprise_id: int) -> str:
    return current("edit", survey_id, enterprise_id)


def edit_candidates(survey_id: int, enterprise_id: int) -> set[str]:
    return candidates("edit", survey_id, [enterprise_id])[enterprise_id]


def receipt_candidates(survey_id: int, enterprise_ids: list[int]) -> dict[int, set[str]]:
    return candidates("receipt", survey_id, enterprise_ids)


def browser_key(survey_id: int, browser: str) -> str:
    """The edit key of a signed-out answer through the public link: a keyed hash of the browser's random token
    (its cookie), in its own domain; the token itself is never stored."""
    return current("browser", survey_id, browser)


def browser_candidates(survey_id: int, browser: str) -> set[str]:
    return candidates("browser", survey_id, [browser])[browser]
