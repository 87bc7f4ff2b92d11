"""Seed the statutory time limits (danvan/core/legal_rules_seed.py) into every deployment."""

from django.db import migrations


def seed(apps, schema_editor):
    from danvan.core.legal_rules_seed import SEED_RULES

    LegalRule = apps.get_model("core", "LegalRule")
    known = {f.name for f in LegalRule._meta.get_fields()}
    for data in SEED_RULES:
        defaults = {k: v for k, v in data.items() if k in known and k not in ("code", "valid_from")}
        LegalRule.objects.get_or_create(
            code=data["code"], valid_from=data.get("valid_from"), defaults=defaults
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
