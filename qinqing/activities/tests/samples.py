"""County-A activity objects for the role × URL matrix, the isolation tests and the schema fuzzing."""

from qinqing.core.tests.isolation_registry import Sample


def activity(tree, users, **over):
    from qinqing.activities import actions

    data = {"kind": "training", "title": "县A电商培训班", "starts_on": actions.today(), "place": "县工商联会议室",
            "capacity": 2, **over}  # fmt: skip
    return actions.save_activity(actor=users.county_staff, data=data)


def registration(tree, users):
    from qinqing.activities import actions

    act = activity(tree, users)
    return actions.register(act, actor=users.enterprise, enterprise=tree.ent_a, attendee_name="张三",
                            attendee_phone="13800000000")  # fmt: skip


def job(tree, users):
    from qinqing.activities import actions

    fair = activity(tree, users, kind="job_fair", title="县A春风招聘会", capacity=50)
    return actions.post_job(fair, actor=users.enterprise, enterprise=tree.ent_a,
                            data={"title": "食品检验员", "headcount": 3, "requirements": "中专以上"})  # fmt: skip


def attendance(tree, users):
    from qinqing.activities import actions

    reg = registration(tree, users)
    return actions.check_in(reg, reg.activity.sessions.first(), actor=users.county_staff, method="manual")


def _session(tree, users):
    return {"pk": activity(tree, users).sessions.first().pk}


def _token(tree, users):
    from qinqing.activities import actions

    return {"token": actions.make_token(registration(tree, users))}


# POST-only pages (register, cancel, check in, post a job, record intentions) answer GET with 405 before
# looking anything up; the role matrix still requests them with placeholder ids and the API routes below.
SAMPLES = [
    Sample("activities:detail", lambda tree, users: {"pk": activity(tree, users).pk}),
    Sample("activities:edit", lambda tree, users: {"pk": activity(tree, users).pk}),
    Sample("activities:registration", lambda tree, users: {"pk": registration(tree, users).pk}),
    Sample("activities:registration_qr", lambda tree, users: {"pk": registration(tree, users).pk}),
    Sample("activities:session", _session),
    Sample("activities:session_qr", _session),
    Sample("activities:checkin", _token),
    Sample("activities:figure_records", lambda tree, users: {"key": "activities.attendances"}, isolated=False),
]

COUNTY_A_OBJECTS = {
    "activities.Activity": lambda tree, users: [activity(tree, users)],
    "activities.Registration": lambda tree, users: [registration(tree, users)],
    "activities.Job": lambda tree, users: [job(tree, users)],
}

SCOPE = {
    "activities.Session": "org_path",
    "activities.Attendance": "org_path",
}
