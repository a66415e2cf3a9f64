from types import SimpleNamespace

import pytest

from . import factories


@pytest.fixture
def med(tree, users):
    """Chamber A's committee with the test mediator on its roster, county A's centre, a court-referred case."""
    return SimpleNamespace(
        committee=factories.committee(tree, users),
        centre=factories.centre(tree, users),
        case=factories.court_case(tree, users),
    )
