"""Member data moves from the person to the company (issue 9, item 3).

Every membership becomes its company's: the membership of a person who already belongs to a
company moves to that company; a distributor who bought alone becomes a **company of one**
(its admin), marked ``migrated`` (legal identity to complete) and kept ``verified`` so its credit
line and on-account ordering go on as before. Customer price rules follow their customer to
the company. Nothing is lost: when two people of one company both had a membership, the second
is merged into the first (points entries, tier and salesperson history, credit ledger entries,
tags and balances move; the better tier stays), then deleted. The orders of the people become
their company's. Reversible only while no membership exists (the person-level data is gone).
"""

import unicodedata
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _name_key(name):
    return "".join(c for c in unicodedata.normalize("NFKC", name or "").lower() if not c.isspace())


def _company_of_one(apps, user, now):
    Company = apps.get_model("companies", "Company")
    CompanyMember = apps.get_model("companies", "CompanyMember")
    UserAddress = apps.get_model("address", "UserAddress")
    address = UserAddress.objects.filter(user_id=user.pk).order_by("-is_default_for_shipping", "id").first()
    person = " ".join(p for p in (user.last_name, user.first_name) if p).strip()
    base = ((address.line2 if address else "") or person or user.email or f"#{user.pk}").strip()[:180]
    name, n = base, 1
    while Company.objects.filter(legal_name__iexact=name).exists():  # names are unique
        n += 1
        name = f"{base} ({n})"
    company = Company.objects.create(
        legal_name=name,
        name_key=_name_key(name),
        uscc="",
        migrated=True,
        legal_representative=person[:50],
        province=(address.state if address else "")[:20],
        city=(address.line4 if address else "")[:50],
        address=(address.line1 if address else "")[:200],
        contact_phone=str(address.phone_number or "")[:20] if address else "",
        invoice_title=name,
        status="verified",
        applied_by_id=user.pk,
        applied_at=user.date_joined or now,
        verified_at=now,
    )
    CompanyMember.objects.create(company=company, user_id=user.pk, role="admin", added_at=now)
    ContentType = apps.get_model("contenttypes", "ContentType")
    TransitionLog = apps.get_model("core", "TransitionLog")
    content_type, _created = ContentType.objects.get_or_create(app_label="companies", model="company")
    TransitionLog.objects.create(
        content_type=content_type,
        object_id=str(company.pk),
        machine="company_verification",
        from_state="",
        to_state="verified",
        via="migration",
        reason="由原单人分销商账户迁移为一人企业；统一社会信用代码与营业执照待补全 "
        "(migrated from a single-person distributor account; USCC and licence to complete)",
        created_at=now,
    )
    return company


def _company_for(apps, user_id, now, cache):
    if user_id in cache:
        return cache[user_id]
    CompanyMember = apps.get_model("companies", "CompanyMember")
    member = CompanyMember.objects.filter(user_id=user_id).select_related("company").first()
    if member is not None:
        company = member.company
    else:
        app_label, model = settings.AUTH_USER_MODEL.split(".")
        user = apps.get_model(app_label, model).objects.get(pk=user_id)
        company = _company_of_one(apps, user, now)
    cache[user_id] = company
    return company


def _merge(apps, source, target):
    """Move everything of membership ``source`` into ``target`` (same company), then delete it."""
    Membership = apps.get_model("member_tiers", "Membership")
    Tier = apps.get_model("member_tiers", "Tier")
    for model in ("PointsEntry", "TierChange", "SalespersonChange"):
        apps.get_model("member_tiers", model).objects.filter(membership_id=source.pk).update(membership_id=target.pk)
    target.points_balance += source.points_balance
    ranks = dict(Tier.objects.values_list("pk", "rank"))
    if ranks.get(source.tier_id, 0) > ranks.get(target.tier_id, 0):
        target.tier_id = source.tier_id
    target.salesperson_id = target.salesperson_id or source.salesperson_id
    target.save()
    target.tags.add(*source.tags.all())
    CreditAccount = apps.get_model("member_tiers", "CreditAccount")
    CreditEntry = apps.get_model("member_tiers", "CreditEntry")
    theirs = CreditAccount.objects.filter(membership_id=source.pk).first()
    if theirs is not None:
        ours = CreditAccount.objects.filter(membership_id=target.pk).first()
        if ours is None:
            theirs.membership_id = target.pk
            theirs.save()
        else:
            CreditEntry.objects.filter(account_id=theirs.pk).update(account_id=ours.pk)
            ours.balance += theirs.balance
            ours.limit = max(ours.limit, theirs.limit)
            ours.allow_exceed = ours.allow_exceed or theirs.allow_exceed
            ours.save()
            theirs.delete()
    Membership.objects.filter(pk=source.pk).delete()


def forwards(apps, schema_editor):
    Membership = apps.get_model("member_tiers", "Membership")
    PriceRule = apps.get_model("member_tiers", "PriceRule")
    CompanyMember = apps.get_model("companies", "CompanyMember")
    Order = apps.get_model("order", "Order")
    now = timezone.now()
    cache = {}
    # admins first: a company's membership is its admin's when several of its people had one
    roles = dict(CompanyMember.objects.values_list("user_id", "role"))
    memberships = sorted(Membership.objects.all(), key=lambda m: (roles.get(m.user_id) != "admin", m.pk))
    for membership in memberships:
        company = _company_for(apps, membership.user_id, now, cache)
        kept = Membership.objects.filter(company_id=company.pk).first()
        if kept is None:
            membership.company_id = company.pk
            membership.save()
        else:
            _merge(apps, membership, kept)
    for rule in PriceRule.objects.filter(customer__isnull=False):
        rule.company_id = _company_for(apps, rule.customer_id, now, cache).pk
        rule.save()
    with_rules = set(PriceRule.objects.filter(company__isnull=False).values_list("company_id", flat=True))
    for membership in Membership.objects.filter(company_id__in=with_rules):
        membership.rules_version = uuid.uuid4()  # the compiled rule indexes key on it
        membership.save()
    for user_id, company_id in CompanyMember.objects.values_list("user_id", "company_id"):
        Order.objects.filter(user_id=user_id, company__isnull=True).update(company_id=company_id)


class Migration(migrations.Migration):
    dependencies = [
        ("address", "0001_initial"),
        ("companies", "0002_company_of_one"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_transition_log"),
        ("member_tiers", "0004_price_rules_version"),
        ("order", "0023_order_company"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="pricerule", name="mt_rule_one_scope"),
        migrations.AddField(
            model_name="membership",
            name="company",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="membership",
                to="companies.company",
                verbose_name="company",
            ),
        ),
        migrations.AddField(
            model_name="pricerule",
            name="company",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="price_rules",
                to="companies.company",
                verbose_name="company",
            ),
        ),
        # back: only while no membership exists (the person-level data cannot be rebuilt)
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
