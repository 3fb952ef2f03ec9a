"""Managing people: invitations re-issued, a person linked to a clinician, accounts
deactivated, patients moved between clinicians (issue 15.4). Every change is audited."""
