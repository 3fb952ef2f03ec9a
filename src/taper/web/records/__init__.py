"""A patient's whole record (FHIR Bundle and PDF) and the retention rule with legal hold."""
