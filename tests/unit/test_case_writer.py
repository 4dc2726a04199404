"""The bulk case writer's own pieces: `extra` written as JSON without json.dumps' set-up."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from audit_app.db.case_writer import encode_extra


@given(st.dictionaries(st.text(), st.text(), max_size=8))
def test_extra_is_json_that_reads_back_as_the_same_map(extra: dict[str, str]) -> None:
    text = encode_extra(extra)
    assert json.loads(text) == extra
    assert text == json.dumps(extra, separators=(",", ":"))


def test_a_value_that_is_not_text_still_writes_as_json() -> None:
    odd: dict[str, object] = {"Count": 3, "Notes": "ok"}
    assert json.loads(encode_extra(odd)) == odd  # type: ignore[arg-type]
