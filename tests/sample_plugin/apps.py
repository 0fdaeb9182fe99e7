"""A plugin that exists only in the tests: it adds a contract section to the order pages through
slots, proving a new plugin needs no edit of a shared template (tests/core/test_plugin_removal.py
installs it with EXTRA_PLUGIN_APPS)."""

from core.plugins import PluginAppConfig


class SamplePluginConfig(PluginAppConfig):
    name = "tests.sample_plugin"
    label = "sample_plugin"
    template_slots = {
        "customer.order_detail.sections": ["sample_plugin/order_contract.html"],
        "dashboard.order_detail.summary": ["sample_plugin/order_contract.html"],
        "customer.order_list.head": ["sample_plugin/order_list_head.html"],
        "customer.order_list.cells": ["sample_plugin/order_list_cell.html"],
    }
