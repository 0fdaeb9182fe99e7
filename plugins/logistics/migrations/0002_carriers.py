"""Carriers are data: the common Chinese express companies, with their tracking-number formats
(as printed on their waybills), a public tracking page and their Kuaidi100 company code."""

from django.db import migrations

KD100 = "https://www.kuaidi100.com/chaxun?com={com}&nu={{number}}"

CARRIERS = [
    # code, name, tracking pattern, tracking url, kuaidi100 code
    ("sf", "顺丰速运", r"SF\d{12,13}", "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{number}", "shunfeng"),
    ("zto", "中通快递", r"(7[0-9]|5[0-9]|2[0-9])\d{10}|7\d{13}", None, "zhongtong"),
    ("yto", "圆通速递", r"YT\d{13,15}", None, "yuantong"),
    ("sto", "申通快递", r"(77|88|66|55|33|22|99)\d{11}", None, "shentong"),
    ("yunda", "韵达快递", r"\d{13}|\d{15}", None, "yunda"),
    ("ems", "EMS", r"[A-Z]{2}\d{9}[A-Z]{2}|(10|11|50|51|95|97|98|99)\d{11}", None, "ems"),
    ("jd", "京东快递", r"JD[A-Z0-9]{11,13}", "https://www.jdl.com/orderSearch/?waybillCodes={number}", "jd"),
    ("deppon", "德邦快递", r"DPK\d{12}|\d{9,10}", None, "debangkuaidi"),
    ("jt", "极兔速递", r"JT\d{13}", None, "jtexpress"),
    ("best", "百世快递", r"(A|B)\d{12}|\d{12}", None, "huitongkuaidi"),
    ("youzheng", "邮政快递包裹", r"9\d{12}|1\d{12}", None, "youzhengguonei"),
    ("ane", "安能物流", r"\d{12,13}", None, "annengwuliu"),
]


def seed_carriers(apps, schema_editor):
    Carrier = apps.get_model("logistics", "Carrier")
    for position, (code, name, pattern, url, kd100) in enumerate(CARRIERS):
        Carrier.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "tracking_pattern": pattern,
                "tracking_url": url or KD100.format(com=kd100),
                "kuaidi100_code": kd100,
                "active": True,
                "position": position * 10,
            },
        )


def remove_carriers(apps, schema_editor):
    apps.get_model("logistics", "Carrier").objects.filter(code__in=[c[0] for c in CARRIERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("logistics", "0001_initial")]
    operations = [migrations.RunPython(seed_carriers, remove_carriers)]
