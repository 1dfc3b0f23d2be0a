"""Near misses for messages: one helper for every id a user can misspell."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost._suggest import close_matches, did_you_mean, unknown


def test_a_near_miss_is_offered_and_a_far_one_is_not() -> None:
    regions = ["eu-west-1", "eu-central-1", "us-east-1"]
    assert did_you_mean("eu-wset-1", regions) == "did you mean 'eu-west-1'?"
    assert did_you_mean("mars-1", regions) == ""


def test_case_does_not_hide_a_match_and_the_valid_spelling_is_offered() -> None:
    assert close_matches("STANDARD", ["standard", "cold"]) == ["standard"]


def test_the_message_lists_near_misses_before_the_valid_names() -> None:
    text = unknown("unknown service 'aws.dynamodbb'", "aws.dynamodbb", ["aws.dynamodb"], "...")
    assert text == "unknown service 'aws.dynamodbb'; did you mean 'aws.dynamodb'? Valid: ..."


@settings(max_examples=50)
@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=8, unique=True))
def test_a_valid_name_is_its_own_first_match(names: list[str]) -> None:
    for name in names:
        matches = close_matches(name, names, n=len(names))
        assert name.lower() in [m.lower() for m in matches]
