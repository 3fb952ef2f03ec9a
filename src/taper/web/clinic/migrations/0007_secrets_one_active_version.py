"""One version in force per patient, held by a partial unique index (issue 16).

A race before this (two activations at once on PostgreSQL) could leave two versions of one
patient active. Which one the patient should follow is a prescriber's decision, so this
migration does not choose: it stops, naming the versions, for a clinician to stop one
(`taper`'s plan page) before migrating again.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Count


def refuse_two_in_force(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    PlanVersion = apps.get_model("clinic", "PlanVersion")
    doubled = (PlanVersion.objects.filter(status="active").values("patient_id")
               .annotate(n=Count("id")).filter(n__gt=1).values_list("patient_id", flat=True))
    if doubled:
        found = {p: list(PlanVersion.objects.filter(patient_id=p, status="active")
                         .values_list("id", flat=True)) for p in doubled}
        raise RuntimeError(
            "more than one plan version is active for these patients (patient: versions): "
            f"{found}; a clinician must stop all but one before this migration can run")


class Migration(migrations.Migration):

    dependencies = [
        ("clinic", "0007_secrets_version_patient"),
    ]

    operations = [
        migrations.RunPython(refuse_two_in_force, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="planversion",
            name="patient",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="clinic.patient"),
        ),
        migrations.AddConstraint(
            model_name="planversion",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "active")),
                                               fields=("patient",),
                                               name="one_active_version_per_patient"),
        ),
    ]
