import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Start-up objects out of the garbage collector's full collections (danvan.core.runtime).
from danvan.core.runtime import freeze_startup_objects  # noqa: E402

freeze_startup_objects()
