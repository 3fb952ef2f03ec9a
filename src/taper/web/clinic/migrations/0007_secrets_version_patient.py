"""Each plan version names its patient (copied from its plan), so that the next migration can
hold one version in force per patient in the database itself (issue 16)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import OuterRef, Subquery


def copy_patient(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Plan = apps.get_model("clinic", "Plan")
    PlanVersion = apps.get_model("clinic", "PlanVersion")
    PlanVersion.objects.update(patient_id=Subquery(
        Plan.objects.filter(pk=OuterRef("plan_id")).values("patient_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("clinic", "0007_secrets_audit_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="planversion",
            name="patient",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="clinic.patient"),
        ),
        migrations.RunPython(copy_patient, migrations.RunPython.noop),
    ]
