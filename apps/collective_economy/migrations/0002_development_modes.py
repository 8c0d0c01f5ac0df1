"""The development modes named in the field reports: Enyang's village modes and Bazhong's "5+1" project modes."""

from django.db import migrations

MODES = [
    # Enyang lists ten village development modes; the report names these three.
    ("village", "village_enterprise", "村企合作", "村集体与企业合作经营"),
    ("village", "cluster", "组团发展", "相邻村抱团组团发展"),
    ("village", "entity_income", "实体创收", "村集体经济实体经营创收"),
    # Bazhong's Party-member demonstration projects, "5+1" modes.
    ("project", "committee_led", "村两委领办", ""),
    ("project", "cooperative_led", "专合组织带办", ""),
    ("project", "enterprise_led", "龙头企业或产业大户引办", ""),
    ("project", "members_joint", "党员群众联办", ""),
    ("project", "cross_village", "强村+弱村跨村合办", ""),
    ("project", "activist_run", "入党积极分子兴办", ""),
]


def add_modes(apps, schema_editor):
    DevelopmentMode = apps.get_model("collective_economy", "DevelopmentMode")
    for position, (kind, code, name, description) in enumerate(MODES, start=1):
        DevelopmentMode.objects.get_or_create(
            code=code, defaults={"kind": kind, "name": name, "description": description, "position": position}
        )


def remove_modes(apps, schema_editor):
    DevelopmentMode = apps.get_model("collective_economy", "DevelopmentMode")
    DevelopmentMode.objects.filter(code__in=[code for _kind, code, _name, _d in MODES]).delete()


class Migration(migrations.Migration):
    dependencies = [("collective_economy", "0001_initial")]

    operations = [migrations.RunPython(add_modes, remove_modes)]
