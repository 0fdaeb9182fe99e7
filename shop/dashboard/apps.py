import oscar.apps.dashboard.apps as oscar_apps


class DashboardConfig(oscar_apps.DashboardConfig):
    """Forked so its sub-apps (orders) can be forked: Oscar finds a dashboard module through
    the top-level dashboard app."""

    name = "shop.dashboard"
