"""Reference data every installation needs: China as the shipping country, the payment
source types of the checkout, the 'order placed' e-mail event and the site's name."""

from django.db import migrations


def forwards(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="CN",
        defaults={
            "iso_3166_1_a3": "CHN",
            "iso_3166_1_numeric": "156",
            "printable_name": "中国",
            "name": "People's Republic of China",
            "display_order": 1,
            "is_shipping_country": True,
        },
    )
    SourceType = apps.get_model("payment", "SourceType")
    for code, name in (("bank-transfer", "Bank transfer"), ("on-account", "On account")):
        SourceType.objects.update_or_create(code=code, defaults={"name": name})
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    CommunicationEventType.objects.get_or_create(
        code="ORDER_PLACED", defaults={"name": "Order placed", "category": "Order related"}
    )
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(id=1, defaults={"domain": "127.0.0.1:8000", "name": "链采通 S2B2B"})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("address", "0007_useraddress_code"),
        ("payment", "0005_auto_20200801_0817"),
        ("communication", "0004_auto_20200801_0817"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
