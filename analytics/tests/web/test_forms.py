"""The page forms: import options built from the mapping form, training options bounded (no database)."""

from analytics.web.forms import ImportOptionsForm, TrainForm
from customers.imports.options import ImportOptions

COLUMNS = ["client", "Date", "price"]


def test_the_mapping_form_preselects_same_named_columns():
    """A column named like a field (any case) is chosen for it initially; other fields start unmapped."""
    form = ImportOptionsForm(columns=COLUMNS)
    assert form.fields["map_date"].initial == "Date"
    assert form.fields["map_customer_id"].initial == ""
    assert [field.name for field in form.mapping_fields()][:2] == ["map_transaction_id", "map_customer_id"]


def test_a_valid_mapping_form_builds_the_import_options():
    """The chosen columns, delimiter and flags become ImportOptions; unmapped fields are left out."""
    data = {"delimiter": "\t", "encoding": "cp1252", "dayfirst": "on", "map_customer_id": "client", "map_date": "Date"}
    form = ImportOptionsForm(data, columns=COLUMNS)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["options"] == ImportOptions(
        mapping={"customer_id": "client", "date": "Date"}, delimiter="\t", encoding="cp1252", dayfirst=True
    )


def test_missing_required_columns_and_bad_options_are_form_errors():
    """Unmapped required fields, and options ImportOptions refuses, are errors shown on the form."""
    missing = ImportOptionsForm({"delimiter": ",", "encoding": "utf-8-sig"}, columns=COLUMNS)
    assert not missing.is_valid()
    assert missing.non_field_errors() == ["Choose the column for: customer_id, date."]
    both = ImportOptionsForm(
        {
            "delimiter": ",",
            "encoding": "utf-8-sig",
            "date_format": "%d.%m.%Y",
            "dayfirst": "on",
            "map_customer_id": "client",
            "map_date": "Date",
        },
        columns=COLUMNS,
    )
    assert not both.is_valid()
    assert both.non_field_errors() == ["Give either a date format or day-first dates, not both."]


def test_the_training_window_is_between_one_day_and_two_years():
    """A label window of 0 or 731 days is refused; a cutoff is optional."""
    assert TrainForm({"label_window_days": 60}).is_valid()
    assert not TrainForm({"label_window_days": 0}).is_valid()
    assert not TrainForm({"label_window_days": 731}).is_valid()
