"""Small builders shared by the activity tests."""


def reg(activity, users, tree, name, phone="13800000000"):
    from qinqing.activities import actions

    return actions.register(activity, actor=users.enterprise, enterprise=tree.ent_a, attendee_name=name,
                            attendee_phone=phone)  # fmt: skip
