"""The audit trail becomes a hash chain (issue 16), and the rows written before it lose the
tokens in their paths.

Existing rows, in the order they were written (id), get their place (`seq`) and hash; the
head row is made from the last one. This is the one time rows are rewritten, by the owner
role that runs migrations: on PostgreSQL the append-only trigger is switched off for the
rewrite and on again in the same transaction.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from taper.web.clinic.audit.chain import GENESIS, link
from taper.web.redact import redact_path

TRIGGER = "clinic_auditevent_append_only"


def build_chain(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    AuditEvent = apps.get_model("clinic", "AuditEvent")
    AuditChainHead = apps.get_model("clinic", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE clinic_auditevent DISABLE TRIGGER {TRIGGER}")
    previous, seq, batch = GENESIS, 0, []
    # _base_manager: a plain manager even when given the live models (its tests)
    for row in AuditEvent._base_manager.order_by("id").iterator(chunk_size=2000):
        seq += 1
        row.seq, row.path = seq, redact_path(row.path)
        fields = {name: getattr(row, name) for name in (
            "seq", "at", "actor_id", "actor_email", "action", "event", "record_type", "record_id",
            "patient_id", "method", "path", "status", "ip", "user_agent", "via")}
        row.chain_hash = previous = link(previous, fields)
        batch.append(row)
        if len(batch) >= 1000:
            AuditEvent._base_manager.bulk_update(batch, ["seq", "path", "chain_hash"])
            batch = []
    AuditEvent._base_manager.bulk_update(batch, ["seq", "path", "chain_hash"])
    AuditChainHead.objects.create(pk=1, seq=seq, hash=previous)
    if postgres:
        schema_editor.execute(f"ALTER TABLE clinic_auditevent ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):

    dependencies = [
        ("clinic", "0006_derived_plan_dates"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("seq", models.BigIntegerField()),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="AnonymousTraffic",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("minute", models.DateTimeField()),
                ("event", models.CharField(max_length=64)),
                ("action", models.CharField(max_length=16)),
                ("status", models.PositiveSmallIntegerField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "ordering": ["-minute", "event"],
                "constraints": [models.UniqueConstraint(
                    fields=("minute", "event", "action", "status"),
                    name="one_counter_per_minute_route")],
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(build_chain, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(unique=True),
        ),
    ]
