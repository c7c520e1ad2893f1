"""Forms of the pages: they validate input and build service arguments; the services do the work."""

from typing import Any

from django import forms
from django.conf import settings

from analytics.profiles.selectors import ORDERING_LABELS
from analytics.rfm.maths import SEGMENTS
from customers.imports.options import FIELDS, REQUIRED_FIELDS, WHITESPACE, ImportOptions, LayoutError

DELIMITERS = [(",", "Comma ,"), (";", "Semicolon ;"), ("\t", "Tab"), ("|", "Pipe |"), (WHITESPACE, "Spaces/tabs")]
ENCODINGS = [("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"), ("latin-1", "Latin-1 (ISO-8859-1)")]
FIELD_HELP = {
    "transaction_id": "Optional: without it, one customer's rows on one day are one transaction.",
    "customer_id": "Required.",
    "date": "Required.",
    "product_name": "Optional: without it, transactions carry no line items.",
    "quantity": "Optional (default 1).",
    "amount": "Line amount. Without it: quantity × unit price, or zero with a warning.",
    "unit_price": "Used with quantity when there is no amount column.",
}


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    segment = forms.ChoiceField(
        label="Segment", required=False, choices=[("", "All segments")] + [(s, s) for s in SEGMENTS]
    )
    ordering = forms.ChoiceField(label="Sort by", required=False, choices=list(ORDERING_LABELS.items()))


class LookupForm(forms.Form):
    customer_id = forms.CharField(label="Customer id", max_length=64, strip=True)


class ProductSearchForm(forms.Form):
    product = forms.CharField(label="Product", max_length=255, strip=True)


class TrainForm(forms.Form):
    cutoff = forms.DateField(label="Cutoff (optional)", required=False, help_text="Default: last purchase − window.")
    label_window_days = forms.IntegerField(
        label="Label window (days)", min_value=1, max_value=730, initial=settings.LOYALTY_LABEL_WINDOW_DAYS
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Purchase file (CSV or text)",
        help_text=f"Up to {settings.IMPORT_MAX_UPLOAD_BYTES // 1_000_000} MB. One row per line item.",
    )


class ImportOptionsForm(forms.Form):
    """How to read a staged file; the column choices come from its header."""

    delimiter = forms.ChoiceField(choices=DELIMITERS, initial=",")
    encoding = forms.ChoiceField(choices=ENCODINGS, initial="utf-8-sig")
    date_format = forms.CharField(
        label="Date format", required=False, max_length=64, help_text="strptime format, e.g. %Y%m%d. Empty: ISO."
    )
    dayfirst = forms.BooleanField(label="Day-first dates (DD/MM/YYYY)", required=False)
    keep_duplicates = forms.BooleanField(
        label="Keep identical rows", required=False, help_text="For logs where identical rows are real purchases."
    )

    def __init__(self, *args, columns: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns or []
        by_name = {c.strip().casefold(): c for c in self.columns}
        choices = [("", "— not in the file —")] + [(c, c) for c in self.columns]
        for name in FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=name,
                required=False,
                choices=choices,
                initial=by_name.get(name, ""),
                help_text=FIELD_HELP[name],
            )

    def mapping_fields(self):
        return [self[f"map_{name}"] for name in FIELDS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        mapping = {name: data[f"map_{name}"] for name in FIELDS if data.get(f"map_{name}")}
        missing = [name for name in REQUIRED_FIELDS if name not in mapping]
        if missing:
            raise forms.ValidationError(f"Choose the column for: {', '.join(missing)}.")
        try:
            data["options"] = ImportOptions.build(
                mapping=mapping,
                delimiter=data.get("delimiter"),
                encoding=data.get("encoding"),
                date_format=data.get("date_format"),
                dayfirst=bool(data.get("dayfirst")),
                keep_duplicates=bool(data.get("keep_duplicates")),
            )
        except LayoutError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data
