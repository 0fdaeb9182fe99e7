"""The demo data's addresses are real places: every province / city / district the demo writes
passes the same check as an address a person types (core.regions.place_errors). Called by
tests/core/test_demo_seed.py on the data it seeds (one seed for both)."""

from oscar.core.loading import get_model

from companies.models import Company, CompanyAddress
from core.regions import place_errors

UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")


def wrong_places() -> list[tuple]:
    """Every address in the database whose city is not its province's or district not its city's."""
    wrong = []
    for model in (UserAddress, ShippingAddress):
        for place in model.objects.values_list("state", "line4", "line3").distinct():
            if place_errors(*place):
                wrong.append((model.__name__, place))
    for place in CompanyAddress.objects.values_list("province", "city", "district").distinct():
        if place_errors(*place):
            wrong.append(("CompanyAddress", place))
    for province, city in Company.objects.values_list("province", "city").distinct():
        if place_errors(province, city, None):
            wrong.append(("Company", (province, city)))
    return wrong
