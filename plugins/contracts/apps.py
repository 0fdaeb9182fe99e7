from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig


class ContractsConfig(PluginAppConfig):
    name = "plugins.contracts"
    label = "contracts"
    verbose_name = _("Contracts")
