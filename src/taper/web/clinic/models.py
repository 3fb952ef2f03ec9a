"""What the clinic keeps. Nothing is overwritten: a change is a new row, and every step of a
plan's life is an event. Rows change only through `taper.web.clinic.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    PATIENT = "patient", "Patient"
    ADMIN = "admin", "Administrator"
    # Someone a patient invited to help: Today and the check-in for that patient only
    # (taper.web.carers holds the links; docs/web.md "Carers").
    CARER = "carer", "Carer"


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)  # an address is the same in any case

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=email.strip().lower(), **extra)
        user.set_password(password)  # None: an unusable password until an invitation is used
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(role=Role.ADMIN, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who logs in with an email address; the role decides what they may see."""

    email = models.EmailField(unique=True)
    role = models.CharField(max_length=16, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=now)
    # A clinician's clinic as their patients see it wherever they are told to make contact.
    clinic_name = models.CharField(max_length=120, blank=True)
    clinic_phone = models.CharField(max_length=32, blank=True)
    clinic_hours = models.CharField(max_length=120, blank=True)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["role"]

    class Meta:
        # One account per address in any case (issue 16: a lockout of alice@x must hold for
        # ALICE@x); addresses are stored in lower case (migration 0007_ident_email_lowercase).
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_any_case")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_staff(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    def __str__(self) -> str:
        return self.email


class Patient(models.Model):
    """A person tapering. No clinician: someone planning alone (self-registered)."""

    user = models.OneToOneField(User, models.PROTECT, related_name="patient")
    clinician = models.ForeignKey(User, models.PROTECT, null=True, blank=True,
                                  related_name="patients")
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64)  # IANA name: the patient's day starts here
    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    temperature_unit = models.CharField(max_length=1, choices=[("C", "°C"), ("F", "°F")],
                                        default="C")
    dose_alarms = models.BooleanField(default=True)  # a reminder at each dose in the calendar feed
    # The language of the patient's pages and e-mails: "" follows the browser (Accept-Language).
    language = models.CharField(max_length=8, blank=True, default="",
                                choices=[("", "The browser's"), ("en", "English"),
                                         ("es", "Español")])
    # The plan version whose change the patient has seen on Today ("Your plan changed ...").
    seen_version = models.ForeignKey("PlanVersion", models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["name", "id"]

    @property
    def is_solo(self) -> bool:
        return self.clinician_id is None

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A one-time link to set a password; only the token's SHA-256 is kept."""

    user = models.ForeignKey(User, models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class Plan(models.Model):
    """One taper for one patient; its content lives in its versions."""

    patient = models.ForeignKey(Patient, models.PROTECT, related_name="plans")
    drug = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    # Check-ins go on for this many days after the last dose (docs/web.md: policy, 14).
    monitoring_days = models.PositiveSmallIntegerField(default=14)
    # Policy (issue 5): days without a check-in before the clinician is alerted.
    missed_checkin_days = models.PositiveSmallIntegerField(default=2)

    class Meta:
        ordering = ["-created_at", "-id"]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    CHANGED = "changed", _("Changed (a newer version replaced it)")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")
    WITHDRAWN = "withdrawn", _("Withdrawn (a draft never used)")


class Origin(models.TextChoices):
    BUILDER = "builder", _("Built")  # in the plan builder
    CHANGE = "change", _("Changed by a prescriber")
    HOLD = "hold", _("Held by the monitoring engine")


class PlanVersion(models.Model):
    """The request exactly as entered and the engine's plan JSON; neither is ever edited."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="versions")
    # The plan's patient, copied when the version is created (services/versions.py), so the
    # database itself can hold one version in force per patient (the constraint below).
    patient = models.ForeignKey(Patient, models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    request = models.JSONField(encoder=DjangoJSONEncoder)
    plan_json = models.JSONField(encoder=DjangoJSONEncoder)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.BUILDER)
    based_on = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    approved_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    end_reason = models.TextField(blank=True)
    # Derived from plan_json when the version is created (services/versions.py), so the desk
    # can ask by date without reading the JSON. They cannot go stale: plan_json is never
    # edited. stop_date is null when the plan has no stop.
    start_date = models.DateField(null=True, blank=True)
    stop_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_number_per_plan"),
            # One version in force per patient (so per plan), whatever races (issue 16).
            models.UniqueConstraint(fields=["patient"], condition=models.Q(status="active"),
                                    name="one_active_version_per_patient"),
        ]
        # The desk and the alerts ask for a clinician's versions in force (or monitoring).
        # No index led by status: without statistics SQLite's planner would take it for a
        # patient's version in force and scan every active version of the clinic.
        indexes = [models.Index(fields=["plan", "status"], name="version_plan_status")]

    @property
    def reviewed(self) -> bool:
        """Approved by a prescriber (a hold keeps the approval: it changes no dose)."""
        return self.approved_by_id is not None


class DoseChange(models.Model):
    """A day a version's daily dose changes: each step's first day, and the stop date.

    Derived from plan_json when the version is created (services/versions.py), so the desk
    finds "dose changes in the next days" with an indexed query. Never edited, like the
    version. `reason` is the words the desk shows, as `engine.next_change` gives them; `position`
    orders the changes of one version as the plan does (the stop last).
    """

    version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="dose_changes")
    position = models.PositiveSmallIntegerField()
    date = models.DateField()
    reason = models.CharField(max_length=100)

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"],
                                               name="one_change_per_position")]
        indexes = [models.Index(fields=["version", "date"], name="dose_change_version_date")]


class FollowUp(models.Model):
    """An appointment on a plan, shown to the clinician and the patient."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="followups")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "time", "id"]


class LifecycleEvent(models.Model):
    """Append-only: created, approved, activated, changed, held, completed, stopped."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="events")
    version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16)
    actor = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class CheckIn(models.Model):
    """A check-in exactly as entered; a second for the same date amends, the first is kept."""

    patient = models.ForeignKey(Patient, models.PROTECT, related_name="checkins")
    date = models.DateField()
    data = models.JSONField(encoder=DjangoJSONEncoder)
    amends = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")
    entered_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["patient", "date"])]


class DoseMark(models.TextChoices):
    TAKEN = "taken", "Taken"
    LATE = "late", "Taken late"
    SKIPPED = "skipped", "Skipped"


class DoseTaken(models.Model):
    """A dose the patient marked: taken, taken late or skipped (a skipped dose is missed)."""

    patient = models.ForeignKey(Patient, models.PROTECT, related_name="doses_taken")
    version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="+")
    date = models.DateField()
    time = models.TimeField()
    mark = models.CharField(max_length=8, choices=DoseMark.choices, default=DoseMark.TAKEN)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=now)

    @property
    def was_taken(self) -> bool:
        return self.mark != DoseMark.SKIPPED

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "date", "time"],
                                               name="one_mark_per_dose")]


# The decisions a clinician acknowledges (the desk lists them until then).
FLAGGED_ACTIONS = ("emergency", "contact_prescriber", "hold")


class Decision(models.Model):
    """The monitoring engine's decision on a check-in, as its contract JSON."""

    patient = models.ForeignKey(Patient, models.PROTECT, related_name="decisions")
    checkin = models.OneToOneField(CheckIn, models.PROTECT, related_name="decision")
    version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="decisions")
    today = models.DateField()
    action = models.CharField(max_length=32)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    flagged_for_clinician = models.BooleanField(default=False)
    held_version = models.ForeignKey(PlanVersion, models.PROTECT, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(default=now)
    # The clinician has seen a flagged decision (it leaves the attention list).
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True,
                                        related_name="+")
    # The suggestion the clinician applied (services/adjust.py): shown as applied, never
    # offered again. The new version says who approved it and when.
    applied_version = models.ForeignKey(PlanVersion, models.PROTECT, null=True, blank=True,
                                        related_name="+")
    applied_kind = models.CharField(max_length=32, blank=True)
    applied_option = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "-created_at"]),
                   # The desk's flagged decisions not yet acknowledged: a few in a long history.
                   models.Index(fields=["patient", "created_at"], name="decision_unacknowledged",
                                condition=models.Q(acknowledged_at__isnull=True,
                                                   action__in=list(FLAGGED_ACTIONS)))]

    @property
    def is_emergency(self) -> bool:
        return self.action == "emergency"


class CalendarFeed(models.Model):
    """A private calendar URL for one patient (a capability: whoever has it may read it).

    Only the token's SHA-256 is kept, so the URL is shown once. Revoked feeds stay as rows
    (who made and ended each); a revoked token answers 404. At most one live feed each.
    """

    patient = models.ForeignKey(Patient, models.PROTECT, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["patient"], condition=models.Q(revoked_at__isnull=True),
            name="one_live_feed_per_patient")]


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    EXPORT = "export", "Exported or downloaded"
    CHANGE = "change", "Changed"
    ATTEMPT = "attempt", "Tried a change that changed nothing"
    DENIED = "denied", "Refused"
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Failed to log in"
    LOGOUT = "logout", "Logged out"


class AppendOnly(models.QuerySet["AuditEvent"]):
    """A queryset with no road to change or remove rows."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("the audit trail is append-only: rows are never updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("the audit trail is append-only: rows are never deleted")

    # Django's other paths to UPDATE; refusing them keeps the rule whole.
    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise TypeError("the audit trail is append-only: rows are never updated")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("the audit trail is append-only: rows are never updated")

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("audit rows are appended one at a time, each linked to the chain"
                        " (audit.trail.record)")


class AuditEvent(models.Model):
    """Who did what to which record, when (UTC) and from where. Append-only.

    Record ids are plain integers, not foreign keys: a refused request may name a record
    that does not exist, and the row must outlive anything it names. On PostgreSQL a
    trigger (migration 0003) refuses UPDATE and DELETE as well.
    """

    at = models.DateTimeField(default=now, db_index=True)
    actor = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                              db_constraint=False)
    actor_email = models.CharField(max_length=254, blank=True)  # also the address tried at a failed login
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    event = models.CharField(max_length=64)  # the URL name or the service that acted
    record_type = models.CharField(max_length=32, blank=True)
    record_id = models.BigIntegerField(null=True, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    method = models.CharField(max_length=8, blank=True)
    path = models.CharField(max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    via = models.CharField(max_length=32, blank=True)  # "session", "token 12", "cli", "feed"
    # The hash chain (audit/chain.py): the row's place in the chain and SHA-256 over its
    # fields and the previous row's hash. `taper audit verify` recomputes it.
    seq = models.BigIntegerField(unique=True)
    chain_hash = models.CharField(max_length=64)

    objects = AppendOnly.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["actor", "-at"]), models.Index(fields=["action", "-at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("the audit trail is append-only: rows are never updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("the audit trail is append-only: rows are never deleted")


class AuditChainHead(models.Model):
    """The chain's last link (one row, id 1): locked by every writer so two cannot fork the
    chain, and compared by `taper audit verify` so rows removed from the end are noticed."""

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)


class AnonymousTraffic(models.Model):
    """Requests by nobody logged in, counted per minute, route, action and status instead
    of one audit row each (a flood of anonymous requests must not bury the trail)."""

    minute = models.DateTimeField()
    event = models.CharField(max_length=64)
    action = models.CharField(max_length=16)
    status = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-minute", "event"]
        constraints = [models.UniqueConstraint(fields=["minute", "event", "action", "status"],
                                               name="one_counter_per_minute_route")]


class ApiToken(models.Model):
    """A personal API token: only its SHA-256 is kept, so it is shown once; revocable.

    `window_start`/`window_count` are the fixed-window rate limit (one counter a token).
    """

    user = models.ForeignKey(User, models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # shown in lists so a person can tell tokens apart
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class AlertKind(models.TextChoices):
    RED_FLAG = "red_flag", "Red flag"
    CONTACT_PRESCRIBER = "contact_prescriber", "Asks for the prescriber"
    MISSED_CHECKIN = "missed_checkin", "Missed check-ins"
    OVERDUE_ACK = "overdue_ack", "Red flag not acknowledged in time"


class Alert(models.Model):
    """One event the clinician must hear about, in the app and by e-mail, sent once.

    `key` names the event (e.g. "red_flag:<patient>:<day>"); its uniqueness is what makes a
    retried check-in, an amendment or a second `taper sendalerts` raise nothing new. An
    e-mail is claimed (`claimed_at`) before it is sent and marked `sent_at` after, so two
    senders never both send it; a claim older than the lease is taken as abandoned.
    """

    patient = models.ForeignKey(Patient, models.PROTECT, related_name="alerts")
    recipient = models.ForeignKey(User, models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=24, choices=AlertKind.choices)
    decision = models.ForeignKey(Decision, models.PROTECT, null=True, blank=True,
                                 related_name="alerts")
    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sent_at", "claimed_at"]),
                   models.Index(fields=["recipient", "-created_at"])]
