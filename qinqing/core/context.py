"""Who is acting, from where, under which request id: set by the middleware, read by audit.record()."""

import contextlib
import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    user_id: int | None = None
    username: str = ""
    org_path: str = ""


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("qinqing_request", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> RequestContext | None:
    return _current.get()


@contextlib.contextmanager
def bind(ctx: RequestContext):
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextlib.contextmanager
def batch(label: str = "batch", user=None):
    """Tie a bulk operation (an import, a job, a management command) together under one request id."""
    outer = current()
    ctx = RequestContext(
        request_id=f"{label}-{new_request_id()[:16]}",
        ip=outer.ip if outer else None,
        user_id=getattr(user, "pk", None) or (outer.user_id if outer else None),
        username=getattr(user, "username", "") or (outer.username if outer else ""),
        org_path=(getattr(getattr(user, "org", None), "path", "") if user else "") or (outer.org_path if outer else ""),
    )
    with bind(ctx):
        yield ctx
