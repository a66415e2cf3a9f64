"""The import's pipeline (``runner``): the batch windows, and what runs after a batch once the writer thread
committed it (progress, the re-match of its enterprises) — only for batches that committed."""

import pytest

from qinqing.registry.importing import runner, sqlwrite


@pytest.mark.parametrize(
    ("start", "total", "size", "expected"),
    [
        (0, 100_000, 10_000, [(0, 2_500), *((2_500 + 10_000 * k, 10_000) for k in range(9)), (92_500, 7_500)]),
        (0, 3_000, 10_000, [(0, 2_500), (2_500, 500)]),
        (40_000, 45_000, 10_000, [(40_000, 2_500), (42_500, 2_500)]),  # resumed at a checkpoint
        (0, 12, 5, [(0, 5), (5, 5), (10, 2)]),  # small batches: no ramp
        (0, 0, 10_000, []),
    ],
)
def test_given_rows_when_cut_into_batches_then_first_is_a_quarter_and_each_row_in_one(start, total, size, expected):
    windows = list(runner._windows(start, total, size))
    assert windows == expected
    covered = [i for offset, rows in windows for i in range(offset, offset + rows)]
    assert covered == list(range(start, total))


@pytest.fixture
def threaded(monkeypatch):
    # the writer thread without a database: nothing to checkpoint while it writes, no connection to close
    monkeypatch.setattr(sqlwrite, "can_write_in_thread", lambda: True)
    monkeypatch.setattr(sqlwrite, "while_writing", lambda: None)
    monkeypatch.setattr(runner, "connections", type("NoConnections", (), {"close_all": staticmethod(lambda: None)}))


def _fail() -> None:
    raise RuntimeError("batch 2 rolled back")


def test_given_a_later_batch_fails_then_only_the_committed_batches_are_followed_up(threaded):
    # given a writer thread writing batch 1, then batch 2, which fails
    followed: list[int] = []
    with pytest.raises(RuntimeError, match="batch 2"), runner._Writer(enabled=True) as writer:
        assert writer.threaded
        writer.submit(lambda: None)
        writer.then(followed.append, 1)
        writer.submit(_fail)
        writer.then(followed.append, 2)
    # then batch 1 was followed up (progress, re-match) and batch 2 never
    assert followed == [1]


def test_given_the_planning_fails_while_a_batch_is_written_then_that_batch_is_still_followed_up(threaded):
    # given batch 1 handed to the writer, and the planning of batch 2 failing on this thread
    followed: list[int] = []
    with pytest.raises(ValueError, match="plan"), runner._Writer(enabled=True) as writer:
        writer.submit(lambda: None)
        writer.then(followed.append, 1)
        raise ValueError("plan of batch 2")
    # then batch 1, which committed, was followed up all the same
    assert followed == [1]
