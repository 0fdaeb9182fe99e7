"""Back-office routes of the analytics screens, from the areas. Who may open each:
``plugins.bigdata.routes.access``."""

from plugins.bigdata.abc import dashboard_urls as abc
from plugins.bigdata.customers import dashboard_urls as customers
from plugins.bigdata.marketing import dashboard_urls as marketing
from plugins.bigdata.performance import dashboard_urls as performance
from plugins.bigdata.regions import dashboard_urls as regions

app_name = "bigdata-dashboard"

urlpatterns = [
    *regions.urlpatterns,
    *abc.urlpatterns,
    *performance.urlpatterns,
    *customers.urlpatterns,
    *marketing.urlpatterns,
]
