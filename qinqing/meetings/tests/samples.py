"""County-A meetings for the role × URL matrix, the isolation tests and the schema fuzzing (core isolation_registry)."""

from datetime import date

from qinqing.core.tests.isolation_registry import Sample


def _meeting(tree, users):
    from qinqing.meetings import actions

    return actions.create_meeting(
        actor=users.county_staff,
        kind="talk",
        title="县A政企恳谈会",
        day=date(2026, 3, 10),
        host_leader="县长",
        departments=[tree.dept_a],
        enterprises=[tree.ent_a],
    )


# GET routes only (the isolation test opens them); POST-only step routes are covered by the role matrix.
SAMPLES = [
    Sample("meetings:detail", lambda tree, users: {"pk": _meeting(tree, users).pk}),
    Sample("meetings:edit", lambda tree, users: {"pk": _meeting(tree, users).pk}),
    Sample("meetings:export", lambda tree, users: {"pk": _meeting(tree, users).pk, "kind": "problems", "fmt": "xlsx"}),
]

COUNTY_A_OBJECTS = {"meetings.Meeting": lambda tree, users: [_meeting(tree, users)]}
