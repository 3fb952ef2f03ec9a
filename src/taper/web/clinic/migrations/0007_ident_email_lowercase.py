"""E-mail addresses in lower case, and one account per address in any case (issue 16).

Two accounts whose addresses differ only in case cannot both be kept: the migration then
stops, changes nothing, and names them. Decide which one is the person's (docs/web.md,
"Upgrading: addresses in lower case"), give the other a different address, and run it again.
"""

from collections import defaultdict

import django.db.models.functions.text
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def lower_case(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    User = apps.get_model("clinic", "User")
    groups = defaultdict(list)
    for pk, email in User.objects.values_list("pk", "email"):
        groups[email.strip().lower()].append((pk, email))
    clashes = {k: v for k, v in groups.items() if len(v) > 1}
    if clashes:
        listed = "; ".join(f"{k}: " + ", ".join(f"user {pk} ({e})" for pk, e in v)
                           for k, v in sorted(clashes.items()))
        raise RuntimeError(
            "accounts whose addresses differ only in letter case: " + listed + ". Nothing was "
            "changed. Give all but one of each a different address, then migrate again "
            "(docs/web.md, 'Upgrading: addresses in lower case').")
    for address, [(pk, email)] in groups.items():
        if email != address:
            User.objects.filter(pk=pk).update(email=address)


class Migration(migrations.Migration):

    dependencies = [("clinic", "0006_derived_plan_dates")]

    operations = [
        migrations.RunPython(lower_case, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"), name="user_email_any_case"),
        ),
    ]
