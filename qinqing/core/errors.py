"""Errors shared by the domains."""


class Refused(Exception):
    """A business rule refused the action (a transition not allowed now, a closed meeting…). The message is
    Chinese and shown to the user as is; the API answers it with 409 (core.api_errors)."""
