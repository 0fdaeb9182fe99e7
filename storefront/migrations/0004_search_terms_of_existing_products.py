"""Search terms for the products that exist already (later ones are written on save)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from storefront.search.services import terms_of

    Product = apps.get_model("catalogue", "Product")
    Terms = apps.get_model("storefront", "ProductSearchTerms")
    rows = []
    for product in Product.objects.prefetch_related("stockrecords__partner", "categories").iterator(chunk_size=500):
        offers = list(product.stockrecords.all())
        rows.append(
            Terms(
                product_id=product.pk,
                **terms_of(
                    title=product.title or "",
                    description=product.description or "",
                    codes=[product.upc or "", *(o.partner_sku or "" for o in offers)],
                    names=[*(c.name for c in product.categories.all()), *(o.partner.name for o in offers)],
                    category_ids=[c.pk for c in product.categories.all()],
                    partner_ids=[o.partner_id for o in offers],
                    prices=[o.price for o in offers],
                ),
            )
        )
        if len(rows) >= 500:
            Terms.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Terms.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("storefront", "0003_search_terms_facet_fields"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("partner", "0009_stockrecord_order_terms"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
