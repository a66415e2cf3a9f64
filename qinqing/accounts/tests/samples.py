"""County-A account requests for the role × URL matrix and the isolation sweep (core isolation_registry)."""

from itertools import count

from qinqing.core.tests.isolation_registry import Sample

_serial = count(1)


def _request(tree, users):
    from qinqing.accounts import actions

    proposal = actions.propose_account(
        actor=users.sys_admin,
        username=f"sample_new_staff_{next(_serial)}",
        name="样例新账号",
        role="fic_staff",
        org=tree.county_a,
        password="Yueyang#Lake1",
    )
    return {"pk": proposal.pk}


SAMPLES = [Sample("accounts:request_decide", _request)]
