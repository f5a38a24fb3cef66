"""CommitLedger: per partition, the committable offset is the lowest one taken and not finished."""

from streams.worker.ledger import CommitLedger


def taken(ledger: CommitLedger, generation: int, partition: int, *offsets: int):
    return [ledger.take(generation, partition, o) for o in offsets]


def finish(ledger: CommitLedger, tickets) -> None:
    for ticket in tickets:
        ledger.finish(ticket)


def test_nothing_is_committable_before_anything_finishes():
    ledger = CommitLedger()
    taken(ledger, 1, 0, 0, 1, 2)
    assert ledger.committable(1) == {}


def test_the_offset_stops_at_the_lowest_unfinished_message():
    ledger = CommitLedger()
    first = taken(ledger, 1, 0, 10, 11)
    second = taken(ledger, 1, 0, 12, 13)
    finish(ledger, second)  # a later batch done first (this never happens in order, but must be safe)
    assert ledger.committable(1) == {}  # 10 itself is still to be done
    finish(ledger, first)
    assert ledger.committable(1) == {0: 14}


def test_a_single_message_in_flight_at_the_head_holds_the_offset():
    # faust-streaming #606: its guard lets one outstanding offset at the head be committed over
    ledger = CommitLedger()
    head = taken(ledger, 1, 0, 10)
    finish(ledger, taken(ledger, 1, 0, 11, 12, 13))
    assert ledger.committable(1) == {}
    finish(ledger, head)
    assert ledger.committable(1) == {0: 14}


def test_the_offset_moves_only_as_far_as_the_finished_run():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 10, 11))
    taken(ledger, 1, 0, 12, 13)
    assert ledger.committable(1) == {0: 12}


def test_partitions_are_independent():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 0, 1))
    taken(ledger, 1, 1, 0)
    finish(ledger, taken(ledger, 1, 2, 5))
    assert ledger.committable(1) == {0: 2, 2: 6}


def test_a_committed_offset_is_not_offered_again():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 0, 1))
    ledger.committed(1, {0: 2})
    assert ledger.committable(1) == {}
    finish(ledger, taken(ledger, 1, 0, 2))
    assert ledger.committable(1) == {0: 3}


def test_a_gap_in_the_log_is_passed_over():
    # offsets a consumer never sees (transaction markers) lie between two delivered ones
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 0, 1, 5, 6))
    assert ledger.committable(1) == {0: 7}


def test_a_new_generation_starts_over_and_old_batches_change_nothing():
    ledger = CommitLedger()
    old = taken(ledger, 1, 0, 10, 11)
    again = taken(ledger, 2, 0, 10, 11, 12)  # after the rebalance faust delivers from the committed offset
    finish(ledger, old)  # the old batch publishing late must not count for the new generation
    assert ledger.committable(2) == {}
    finish(ledger, again)
    assert ledger.committable(2) == {0: 13}
    assert ledger.committable(1) == {}  # nothing is committed for a generation that is over


def test_a_seek_back_within_a_generation_starts_a_new_stint():
    ledger = CommitLedger()
    first = taken(ledger, 1, 0, 20, 21)
    again = taken(ledger, 1, 0, 15, 16)  # delivered again from an earlier offset
    finish(ledger, first)
    assert ledger.committable(1) == {}
    finish(ledger, again)
    assert ledger.committable(1) == {0: 17}


def test_forgetting_a_revoked_partition():
    ledger = CommitLedger()
    taken(ledger, 1, 0, 0)
    finish(ledger, taken(ledger, 1, 1, 0))
    ledger.forget([0])
    assert ledger.committable(1) == {1: 1}
    assert ledger.outstanding() == 0
