from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Municipality")

    def ready(self):
        from . import admin_i18n, checks  # noqa: F401  (checks registers the system checks)

        admin_i18n.install()
