"""The pipeline bench waits for its workers' consumer group: on a freshly formatted broker the
coordinator is not there yet, which is a reason to wait, not to fail the run."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from aiokafka.errors import GroupAuthorizationFailedError, GroupCoordinatorNotAvailableError

from wirewatch.bench.pipeline import group_is_stable


class _Admin:
    """Answers describe_consumer_groups from a script: an exception to raise or groups to return."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.asked: list[list[str]] = []

    async def describe_consumer_groups(self, groups: list[str]) -> list[SimpleNamespace]:
        self.asked.append(groups)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return [SimpleNamespace(groups=answer)]


def _group(state: str, members: int) -> tuple:
    return (0, "g", state, "consumer", "range", [object()] * members)


async def test_a_coordinator_not_yet_available_means_not_yet() -> None:
    admin = _Admin(GroupCoordinatorNotAvailableError("Unable to get coordinator id for g"))
    assert await group_is_stable(admin, "g", 2) is False
    assert admin.asked == [["g"]]


async def test_a_non_retriable_error_is_raised() -> None:
    admin = _Admin(GroupAuthorizationFailedError("not allowed"))
    with pytest.raises(GroupAuthorizationFailedError):
        await group_is_stable(admin, "g", 2)


@pytest.mark.parametrize(
    ("state", "members", "expected"),
    [("Stable", 2, True), ("Stable", 1, False), ("PreparingRebalance", 2, False)],
)
async def test_stable_only_with_every_member(state: str, members: int, expected: bool) -> None:
    assert await group_is_stable(_Admin([_group(state, members)]), "g", 2) is expected
