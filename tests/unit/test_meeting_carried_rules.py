"""Which cases an earlier meeting carried into this one, and the agenda's page order."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.meeting import AgendaPage, AgendaStatus, CarriedIn, agenda_order, carried_by_meetings

DAY = dt.date(2026, 11, 2)
STATUSES = st.sampled_from(list(AgendaStatus))
MEETINGS = st.lists(st.lists(st.tuples(st.integers(1, 5), STATUSES), max_size=6), max_size=4)


@given(MEETINGS)
def test_a_case_is_carried_in_while_its_latest_decision_was_to_carry_it(
        held: list[list[tuple[int, AgendaStatus]]]) -> None:
    earlier = [(DAY + dt.timedelta(days=7 * n), [(case, status, f"why {n}")
                                                 for case, status in rows])
               for n, rows in enumerate(held)]
    carried = carried_by_meetings(earlier)
    for case in range(1, 6):
        decided = [(day, status) for day, rows in earlier for c, status, _why in rows
                   if c == case and status is not AgendaStatus.TO_DISCUSS]
        if decided and decided[-1][1] is AgendaStatus.CARRIED:
            assert carried[case][0] == decided[-1][0]
        else:
            assert case not in carried


def test_carried_by_then_discussed_at_a_later_meeting_ends_the_carry() -> None:
    earlier = [(DAY, [(1, AgendaStatus.CARRIED, "Ask the DI"), (2, AgendaStatus.CARRIED, "x")]),
               (DAY + dt.timedelta(days=7), [(1, AgendaStatus.DISCUSSED, ""),
                                             (2, AgendaStatus.TO_DISCUSS, "")])]
    assert carried_by_meetings(earlier) == {2: (DAY, "x")}


def test_carried_pages_come_first_and_say_where_from() -> None:
    question = CarriedIn(1, "Q3 review", "Was the MARAC referral made", "MARAC coordinator",
                         request_id=4)
    own = CarriedIn(2, "Q4 review", "Send the log?", "", carried_on=DAY)
    pages = agenda_order([AgendaPage(10, 1, "A/1", None, question)],
                         [AgendaPage(20, 2, "B/1", AgendaStatus.TO_DISCUSS),
                          AgendaPage(21, 2, "B/2", AgendaStatus.TO_DISCUSS, own)])
    assert [page.reference for page in pages] == ["A/1", "B/2", "B/1"]
    assert question.heading == ("Carried from Q3 review: Was the MARAC referral made. To be "
                                "answered by: MARAC coordinator.")
    assert own.heading == ("Carried from the meeting on 02 November 2026: Send the log? To be "
                           "answered by: not recorded.")
    assert [page.label(n) for n, page in enumerate(pages, 1)] == [
        "1. A/1 (Carried in)", "2. B/2 (To discuss, carried in)", "3. B/1 (To discuss)"]
    assert question.standing == "Still waiting for the answer."
