"""Synthetic purchase generator: format, determinism, the demo file and the planted structure (no DB)."""

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from customers.demo.catalogue import product_names
from customers.demo.generator import HEADER, GeneratorConfig, demo_config, generate_csv

pytestmark = []

MEDIUM = GeneratorConfig(customers=2_000, rows=30_000, products=200, seed=7)
REQUIRED_PRODUCTS = {"Apple", "Milk", "Banana", "Orange", "Bread", "Eggs", "Cheese"}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _generate(tmp_path_factory: pytest.TempPathFactory, config: GeneratorConfig) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("generated") / "purchases.csv"
    result = generate_csv(config=config, path=path)
    assert result.rows_written == config.rows
    return _read(path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("demo") / "demo.csv"
    result = generate_csv(config=demo_config(), path=path)
    return result, _read(path), path


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return _generate(tmp_path_factory, MEDIUM)


@pytest.fixture(scope="module")
def medium_without_bundles(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    config = GeneratorConfig(customers=2_000, rows=30_000, products=200, bundles=False)
    return _generate(tmp_path_factory, config)


def _pair_stats(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """Co-occurrence counts and lifts of product pairs over baskets (diagonal zeroed)."""
    product, _ = pd.factorize(frame["product_name"])
    basket, _ = pd.factorize(frame["transaction_id"])
    incidence = np.zeros((basket.max() + 1, product.max() + 1), dtype=np.float32)
    incidence[basket, product] = 1
    baskets = incidence.shape[0]
    together = incidence.T @ incidence
    support = np.diag(together).copy()
    np.fill_diagonal(together, 0)
    return together, together * baskets / np.outer(support, support), baskets


# --- config -------------------------------------------------------------------------------


def test_demo_config():
    """The demo is the seed's: 50 customers from 1001, about 500 rows of 25–30 groceries over a year, dirty."""
    config = demo_config()
    assert (config.customers, config.customer_id_start, config.seed) == (50, 1001, 42)
    assert 400 <= config.rows <= 600
    assert 25 <= config.products <= 30
    assert config.dirty
    assert config.bundles
    assert 360 <= config.days <= 366


@pytest.mark.parametrize("field", ["customers", "rows", "products", "days"])
def test_config_rejects_non_positive_sizes(field):
    """A size of zero is refused, naming the field."""
    arguments = {"customers": 10, "rows": 100, "products": 10, field: 0}
    with pytest.raises(ValueError, match=field):
        GeneratorConfig(**arguments)


# --- format and determinism -----------------------------------------------------------------------------


def test_same_seed_same_bytes_different_seed_different_bytes(tmp_path: Path):
    """The same config writes the same bytes; another seed writes different ones."""
    config = GeneratorConfig(customers=300, rows=4_000, products=80, dirty=True)
    paths = [tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"]
    generate_csv(config=config, path=paths[0])
    generate_csv(config=config, path=paths[1])
    other_seed = GeneratorConfig(customers=300, rows=4_000, products=80, dirty=True, seed=43)
    generate_csv(config=other_seed, path=paths[2])
    first, second, other = (path.read_bytes() for path in paths)
    assert first == second
    assert first != other


@pytest.mark.parametrize(
    "config",
    [
        GeneratorConfig(customers=1, rows=37, products=3),
        GeneratorConfig(customers=500, rows=2_345, products=40, dirty=True, seed=3),
        GeneratorConfig(customers=40, rows=5_000, products=300, bundles=False, days=30),
        GeneratorConfig(customers=900, rows=300, products=10, dirty=True),  # fewer rows than customers
    ],
)
def test_writes_exactly_the_requested_rows(tmp_path: Path, config: GeneratorConfig):
    """Exactly the requested rows are written with Unix line ends, and the counts reported are true."""
    path = tmp_path / "rows.csv"
    result = generate_csv(config=config, path=path)
    raw = path.read_bytes()
    assert b"\r" not in raw
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == ",".join(HEADER)
    assert lines[-1] == ""
    assert len(lines) - 2 == result.rows_written == config.rows
    frame = _read(path)
    assert result.transactions == frame["transaction_id"].nunique()
    assert result.customers == frame.loc[frame["customer_id"] != "", "customer_id"].nunique()


def test_progress_reports_up_to_the_total(tmp_path: Path):
    """Progress is reported a few times, never backwards, and ends at the total."""
    calls: list[tuple[int, int]] = []
    config = GeneratorConfig(customers=2_000, rows=250_000, products=100, dirty=True)
    path = tmp_path / "p.csv"
    generate_csv(config=config, path=path, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) >= 3
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (250_000, 250_000)


def test_customer_ids_start_where_configured(tmp_path: Path):
    """Customer ids run from customer_id_start for `customers` ids."""
    config = GeneratorConfig(customers=30, rows=600, products=20, customer_id_start=5)
    frame = _read(generate_csv(config=config, path=tmp_path / "ids.csv").path)
    assert set(frame["customer_id"]) == {str(i) for i in range(5, 35)}


# --- the demo file --------------------------------------------------------------------------------------


def test_demo_rows_customers_products_and_dates(demo):
    """The demo has the seed's customers, groceries, one year of dates, prices in cents and T-numbered ids."""
    result, frame, _ = demo
    assert 400 <= len(frame) <= 600
    assert result.rows_written == len(frame)
    assert set(frame["customer_id"]) - {""} == {str(i) for i in range(1001, 1051)}
    names = set(frame["product_name"])
    assert names >= REQUIRED_PRODUCTS
    assert names - {""} <= set(product_names(30)) | {" apple", "MILK"}
    dates = pd.to_datetime(frame.loc[frame["date"] != "", "date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2024-01-01")
    assert dates.max() <= pd.Timestamp("2024-12-31")
    assert (dates.max() - dates.min()).days >= 300
    amounts = frame.loc[frame["amount"] != "", "amount"]
    assert amounts.str.fullmatch(r"\d+\.\d\d").all()
    assert (amounts.astype(float) > 0).all()
    assert frame["transaction_id"].str.fullmatch(r"T\d{7}").all()


def test_demo_is_dirty_enough_to_clean(demo):
    """The demo carries a few blank values, duplicates right after their originals and two spelling variants."""
    result, frame, _ = demo
    blank = frame == ""
    null_rows = blank.any(axis=1)
    assert 5 <= null_rows.sum() <= 10
    assert null_rows.sum() == result.null_rows
    assert (blank.sum(axis=1) <= 1).all()
    assert blank[["customer_id", "date", "amount", "product_name"]].any().all()
    duplicates = frame.duplicated()
    assert 5 <= duplicates.sum() <= 10
    assert duplicates.sum() == result.duplicate_rows
    # Each duplicate is written right after its original.
    assert frame.shift().loc[duplicates].equals(frame.loc[duplicates])
    # Spelling variants that only differ in case and whitespace from a catalogue name.
    variants = set(frame["product_name"]) - set(product_names(30)) - {""}
    assert variants == {" apple", "MILK"}


def test_demo_has_repeat_buyers_and_basket_amounts(demo):
    """Half the demo customers come back, and every amount is 1–3 units of the product's price."""
    _, frame, _ = demo
    clean = frame[(frame != "").all(axis=1)].drop_duplicates()
    visits = clean.groupby("customer_id")["transaction_id"].nunique()
    assert (visits >= 2).sum() >= 25
    # A product always has the same unit price: every amount is 1, 2 or 3 times a common unit.
    cents = (clean["amount"].astype(float) * 100).round().astype(int)
    unit = cents.groupby(clean["product_name"]).transform(lambda amounts: np.gcd.reduce(amounts.to_numpy()))
    assert set(cents // unit) <= {1, 2, 3}
    assert (cents % unit == 0).all()


# --- planted structure ----------------------------------------------------------------------------------


def test_medium_dates_in_range(medium):
    """Dates stay in the configured period and customers join throughout it."""
    dates = pd.to_datetime(medium["date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp(MEDIUM.start)
    assert dates.max() < pd.Timestamp(MEDIUM.start + timedelta(days=MEDIUM.days))
    # Customers join throughout the period, so tenure varies.
    first = dates.groupby(medium["customer_id"]).min()
    assert first.quantile(0.25) < pd.Timestamp(date(2024, 3, 1)) < first.quantile(0.75)


def test_medium_repeat_buyers_and_dropouts(medium):
    """Most customers buy again, some lapse, and frequency and recency predict the last 60 days."""
    dates = pd.to_datetime(medium["date"], format="%Y-%m-%d")
    end = pd.Timestamp(MEDIUM.start + timedelta(days=MEDIUM.days))
    holdout_start = end - pd.Timedelta(days=60)
    visits = medium.assign(date=dates).drop_duplicates("transaction_id")
    per_customer = visits.groupby("customer_id").agg(count=("transaction_id", "size"), last=("date", "max"))
    assert (per_customer["count"] >= 2).mean() > 0.5
    lapsed = (per_customer["count"] >= 2) & (per_customer["last"] < holdout_start)
    assert lapsed.mean() > 0.1
    # Buying again in the last 60 days is predictable from frequency and recency before them.
    before = visits[visits["date"] < holdout_start]
    features = before.groupby("customer_id").agg(count=("transaction_id", "size"), last=("date", "max"))
    features["recency"] = (holdout_start - features["last"]).dt.days
    features["active"] = features.index.isin(visits.loc[visits["date"] >= holdout_start, "customer_id"])
    frequent_recent = features[(features["count"] >= 3) & (features["recency"] < 60)]["active"].mean()
    single_old = features[(features["count"] == 1) & (features["recency"] >= 120)]["active"].mean()
    assert frequent_recent > 0.4
    assert single_old < 0.15


def test_medium_popularity_is_skewed(medium):
    """The top tenth of the products take over 40% of the lines."""
    counts = medium["product_name"].value_counts()
    top = counts.iloc[: len(counts) // 10].sum()
    assert top / counts.sum() > 0.4


def test_medium_customers_rebuy_favourites(medium):
    """Customers re-buy their own products far more than baskets dealt at random would."""
    # Customers re-buy their own products: the share of a customer's line items that repeat a product they
    # already bought is well above the share when the same baskets are dealt to customers at random.

    def rebuy_share(items: pd.DataFrame) -> float:
        per_customer = items.groupby("customer_id")["product_name"].agg(["size", "nunique"])
        per_customer = per_customer[per_customer["size"] >= 20]
        return (1 - per_customer["nunique"] / per_customer["size"]).mean()

    owners = medium.drop_duplicates("transaction_id").set_index("transaction_id")["customer_id"]
    dealt = pd.Series(np.random.default_rng(0).permutation(owners.to_numpy()), index=owners.index)
    shuffled = medium.assign(customer_id=medium["transaction_id"].map(dealt))
    assert rebuy_share(medium) > rebuy_share(shuffled) + 0.08


def test_medium_basket_sizes_vary(medium):
    """Baskets hold one to about ten products, two to three and a half on average."""
    sizes = medium.groupby("transaction_id").size()
    assert sizes.min() == 1
    assert 8 <= sizes.max() <= 10
    assert 2 <= sizes.mean() <= 3.5


def test_bundles_give_high_lift_pairs(medium):
    """Planted bundles show up as at least five frequent pairs with lift above 3."""
    together, lift, baskets = _pair_stats(medium)
    strong = (lift > 3) & (together >= 0.005 * baskets)
    assert strong.sum() // 2 >= 5


def test_without_bundles_no_pair_beats_chance(medium_without_bundles):
    """Without bundles no frequent pair has lift 2 or more, and baskets stay small."""
    together, lift, _ = _pair_stats(medium_without_bundles)
    assert (together >= 30).sum() > 100
    assert lift[together >= 30].max() < 2
    assert medium_without_bundles.groupby("transaction_id").size().max() <= 6
