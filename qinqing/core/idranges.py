"""Sets of ids written compactly as ranges: ``[3, 4, 5, 9]`` ↔ ``"3-5 9"``.

Ids that one import or one job writes are mostly consecutive, so an audit row, a job result or a task
argument can name a hundred thousand of them in a few characters.
"""


def id_ranges(ids: list[int]) -> str:
    """``[3, 4, 5, 9]`` → ``"3-5 9"``: the ids an import wrote, compact (new ids are mostly consecutive)."""
    out = []
    ordered = sorted(ids)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return " ".join(out)


def expand_ranges(ranges: str | int | None) -> list[int]:
    """``"3-5 9"`` → ``[3, 4, 5, 9]``."""
    out: list[int] = []
    for part in str(ranges or "").split():
        low, _sep, high = part.partition("-")
        out.extend(range(int(low), int(high or low) + 1))
    return out


def in_ranges(pk: int, ranges: str | int | None) -> bool:
    for part in str(ranges or "").split():  # a lone id may come back from the JSON as a number
        low, _sep, high = part.partition("-")
        if int(low) <= pk <= int(high or low):
            return True
    return False
