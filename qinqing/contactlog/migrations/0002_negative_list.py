"""The negative list as first shipped (浙江2016, 四川 and 广州 rules, DOMAIN.md §5); reviewers maintain it after."""

from decimal import Decimal

from django.db import migrations

# code, name, description, rule, threshold (元)
DEFAULT_ITEMS = [
    ("gifts", "礼品礼金", "收受企业赠送的礼品、礼金、消费卡、有价证券等，未按规定退还或上交", "gift_kept", None),
    ("banquet", "宴请", "接受企业安排并支付的宴请", "meal_by_enterprise", None),
    ("meal_standard", "超标准用餐", "工作餐超过公务接待标准", "meal_over_standard", Decimal("120")),
    ("private_club", "私人会所", "出入私人会所，或在私人会所与企业接触", "private_club", None),
    ("celebration", "企业庆典", "未经批准出席企业内部庆典活动", "enterprise_celebration", None),
    ("bidding", "干预招投标", "插手干预企业参与的招标、采购事项", "bidding", None),
    ("cost_by_enterprise", "费用由企业承担", "差旅、会议、考察等应由公款或个人支付的费用由企业承担", "cost_by_enterprise",
     None),
    ("enterprise_vehicle", "使用企业车辆", "乘坐、借用企业提供的车辆", "enterprise_vehicle", None),
    ("levies", "乱摊派乱收费", "向企业乱摊派、乱检查、乱收费、乱罚款", "", None),
    ("obstruction", "吃拿卡要", "在审批、用地、税收、信贷、补贴等环节吃拿卡要、刁难推诿", "", None),
    ("part_time", "兼职持股", "在企业兼职取酬或持有企业股份", "", None),
    ("interference", "干预经营", "干预企业正常生产经营活动", "", None),
]


def forwards(apps, schema_editor):
    ConductItem = apps.get_model("contactlog", "ConductItem")
    for order, (code, name, description, rule, threshold) in enumerate(DEFAULT_ITEMS):
        ConductItem.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "rule": rule, "threshold": threshold, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("contactlog", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
