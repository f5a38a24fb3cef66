"""CommitLedger: a partition's offset moves only over offsets finished, or confirmed empty."""

from streams.worker.ledger import CommitLedger


def taken(ledger: CommitLedger, generation: int, partition: int, *offsets: int):
    return [ledger.take(generation, partition, o) for o in offsets]


def finish(ledger: CommitLedger, tickets) -> None:
    for ticket in tickets:
        ledger.finish(ticket)


def confirm_starts(ledger: CommitLedger, generation: int = 1) -> None:
    """What the committer does when the broker's committed offset is each stint's first offset."""
    for check in ledger.checks(generation):
        if check.start is None:
            ledger.confirm(check)


def test_nothing_is_committable_before_anything_finishes():
    ledger = CommitLedger()
    taken(ledger, 1, 0, 0, 1, 2)
    confirm_starts(ledger)
    assert ledger.committable(1) == {}


def test_nothing_is_committable_while_the_start_of_the_stint_is_unconfirmed():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 40, 41))
    assert ledger.committable(1) == {}
    assert [(c.partition, c.start, c.end) for c in ledger.checks(1)] == [(0, None, 40)]
    confirm_starts(ledger)
    assert ledger.committable(1) == {0: 42}


def test_the_offset_stops_at_the_lowest_unfinished_message():
    ledger = CommitLedger()
    first = taken(ledger, 1, 0, 10, 11)
    second = taken(ledger, 1, 0, 12, 13)
    confirm_starts(ledger)
    finish(ledger, second)  # a later batch done first (never happens in order, but must be safe)
    assert ledger.committable(1) == {}  # 10 itself is still to be done
    finish(ledger, first)
    assert ledger.committable(1) == {0: 14}


def test_the_offset_moves_only_as_far_as_the_finished_run():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 10, 11))
    taken(ledger, 1, 0, 12, 13)
    confirm_starts(ledger)
    assert ledger.committable(1) == {0: 12}


def test_a_single_message_in_flight_at_the_head_holds_the_offset():
    # faust-streaming #606: its guard lets one outstanding offset at the head be committed over
    ledger = CommitLedger()
    head = taken(ledger, 1, 0, 10)
    finish(ledger, taken(ledger, 1, 0, 11, 12, 13))
    confirm_starts(ledger)
    assert ledger.committable(1) == {}
    finish(ledger, head)
    assert ledger.committable(1) == {0: 14}


def test_a_hole_in_the_delivered_offsets_holds_the_offset_until_confirmed_empty():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 8, 9, 10, 11))
    finish(ledger, taken(ledger, 1, 0, 48, 49))  # 12-47 never delivered
    confirm_starts(ledger)
    assert ledger.committable(1) == {0: 12}
    hole = [c for c in ledger.checks(1) if c.start is not None]
    assert [(c.start, c.end) for c in hole] == [(12, 48)]
    ledger.confirm(hole[0])  # the broker says no record lies there (transaction markers)
    assert ledger.committable(1) == {0: 50}


def test_partitions_are_independent():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 0, 1))
    taken(ledger, 1, 1, 0)
    finish(ledger, taken(ledger, 1, 2, 5))
    confirm_starts(ledger)
    assert ledger.committable(1) == {0: 2, 2: 6}


def test_a_committed_offset_is_not_offered_again():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 0, 1))
    confirm_starts(ledger)
    ledger.committed(1, {0: 2})
    assert ledger.committable(1) == {}
    finish(ledger, taken(ledger, 1, 0, 2))
    assert ledger.committable(1) == {0: 3}


def test_a_new_generation_starts_over_and_old_batches_change_nothing():
    ledger = CommitLedger()
    old = taken(ledger, 1, 0, 10, 11)
    confirm_starts(ledger, 1)
    again = taken(ledger, 2, 0, 10, 11, 12)  # after the rebalance faust delivers from the committed offset
    confirm_starts(ledger, 2)
    finish(ledger, old)  # the old batch publishing late must not count for the new generation
    assert ledger.committable(2) == {}
    finish(ledger, again)
    assert ledger.committable(2) == {0: 13}
    assert ledger.committable(1) == {}  # nothing is committed for a generation that is over


def test_a_seek_back_within_a_generation_starts_a_new_stint():
    ledger = CommitLedger()
    first = taken(ledger, 1, 0, 20, 21)
    again = taken(ledger, 1, 0, 15, 16)  # delivered again from an earlier offset
    confirm_starts(ledger)
    finish(ledger, first)
    assert ledger.committable(1) == {}
    finish(ledger, again)
    assert ledger.committable(1) == {0: 17}


def test_forgetting_a_revoked_partition():
    ledger = CommitLedger()
    taken(ledger, 1, 0, 0)
    finish(ledger, taken(ledger, 1, 1, 0))
    confirm_starts(ledger)
    ledger.forget([0])
    assert ledger.committable(1) == {1: 1}
    assert ledger.outstanding() == 0


def test_filling_a_hole_with_fetched_records_makes_them_outstanding():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 8, 9))
    finish(ledger, taken(ledger, 1, 0, 20, 21))
    confirm_starts(ledger)
    hole = next(c for c in ledger.checks(1) if c.start is not None)
    fetched = ledger.fill(hole, 10, [10, 11, 12], through=13)  # the first three of 10-19
    assert ledger.committable(1) == {0: 10}
    finish(ledger, fetched)
    assert ledger.committable(1) == {0: 13}  # 13-19 still a hole to check
    assert [(c.start, c.end) for c in ledger.checks(1)] == [(13, 20)]


def test_filling_the_stretch_before_a_stint_starts_it_at_the_committed_offset():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 30, 31))
    start = ledger.checks(1)[0]
    fetched = ledger.fill(start, 25, [25, 26, 27, 28, 29], through=30)
    assert ledger.checks(1) == [] and ledger.committable(1) == {}
    finish(ledger, fetched)
    assert ledger.committable(1) == {0: 32}


def test_a_fetched_tail_extends_the_stint():
    ledger = CommitLedger()
    finish(ledger, taken(ledger, 1, 0, 0, 1))
    confirm_starts(ledger)
    tail = ledger.fill_tail(1, 0, 2, [2, 3, 4])
    assert ledger.committable(1) == {0: 2}
    finish(ledger, tail)
    assert ledger.committable(1) == {0: 5}
    assert ledger.fill_tail(1, 3, 7, [7, 8]) and ledger.committable(1) == {0: 5}  # a partition never taken from
