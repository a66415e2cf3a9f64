"""The only writers of activity data, one module per topic; every public name is re-exported here.
Each action is atomic and audited."""

from .checkin import check_in, check_in_by_token, checkin_path, describe_token, make_token, read_token  # noqa: F401
from .common import ActivityError, today  # noqa: F401
from .jobs import post_job, record_intentions  # noqa: F401
from .registrations import cancel, promote_waitlist, register  # noqa: F401
from .setup import clean_sessions, save_activity  # noqa: F401
