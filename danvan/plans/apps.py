from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "danvan.plans"
    label = "plans"
    verbose_name = _("Plans and tasks")

    def ready(self) -> None:
        from danvan.plans import tick  # noqa: F401 - registers the reminder hook
