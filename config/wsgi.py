import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each worker imports this module when it starts (gunicorn without --preload): it builds the URLs, translations
# and templates now, not in its first request (qinqing.core.warmup).
from qinqing.core.warmup import warm  # noqa: E402 -- needs the apps loaded by get_wsgi_application()

warm()
