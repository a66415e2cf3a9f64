import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The root ``users`` fixture hashes 14 passwords; a fast hasher keeps the cross-domain tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
