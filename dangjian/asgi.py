import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

from django.conf import settings  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

if getattr(settings, "SECRET_KEY_MISSING", False):
    raise ImproperlyConfigured("SECRET_KEY must be set to serve the platform in production (DEBUG=0).")
application = get_asgi_application()
