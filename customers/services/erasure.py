"""Erasing a customer's personal data on request (GDPR art. 17) while keeping the purchase history anonymous."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from customers.exceptions import ApplicationError
from customers.models import Customer, DataQualityReport, ImportRun


@dataclass(frozen=True)
class Erasure:
    pseudonym: str
    transactions_kept: int
    import_rows_scrubbed: int


def _mentions(value: object, needle: str) -> bool:
    if isinstance(value, dict):
        return any(_mentions(v, needle) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, needle) for v in value)
    return isinstance(value, str) and needle in value


@transaction.atomic
def customer_personal_data_erase(*, external_id: str) -> Erasure:
    """Blank the name and e-mail, replace the retailer's id with a random pseudonym, and scrub the id from import
    logs (rejected rows) and data-quality examples. Transactions, RFM rows and scores stay, now anonymous, so
    the models and totals do not change."""
    customer = Customer.objects.select_for_update().filter(external_id=external_id).first()
    if customer is None:
        raise ApplicationError(f"Unknown customer: {external_id!r}.", code="unknown_customer")
    needles = [n for n in (external_id, customer.email, customer.name) if n]
    scrubbed = 0
    for run in ImportRun.objects.exclude(rejected_rows=[]).only("pk", "rejected_rows"):
        kept = [row for row in run.rejected_rows if not any(_mentions(row, n) for n in needles)]
        if len(kept) != len(run.rejected_rows):
            scrubbed += len(run.rejected_rows) - len(kept)
            run.rejected_rows = kept
            run.save(update_fields=["rejected_rows"])
    for report in DataQualityReport.objects.all().only("pk", "findings"):
        findings = report.findings
        for finding in findings.values():
            finding["examples"] = [e for e in finding.get("examples", []) if not any(_mentions(e, n) for n in needles)]
        report.findings = findings
        report.save(update_fields=["findings"])
    pseudonym = f"erased-{secrets.token_hex(6)}"
    customer.external_id, customer.name, customer.email = pseudonym, "", ""
    customer.erased_at = timezone.now()
    customer.save(update_fields=["external_id", "name", "email", "erased_at", "updated_at"])
    return Erasure(pseudonym=pseudonym, transactions_kept=customer.transactions.count(), import_rows_scrubbed=scrubbed)
