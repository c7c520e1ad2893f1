"""/api/v1/customers/ on the trained shop: filtering, ordering and capped pages in constant queries, one customer's
detail, score and recommendations."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_customer_list_filters_orders_and_caps_pages(api):
    """Pages stop at 200 rows, ordering by score is descending, a segment filter and a search narrow the list."""
    response = api.get("/api/v1/customers/", {"ordering": "score", "limit": 1000})
    body = response.json()
    assert response.status_code == HTTPStatus.OK
    assert len(body["results"]) == 200  # capped
    scores = [row["loyalty_score"] for row in body["results"]]
    assert scores == sorted(scores, reverse=True)
    champions = api.get("/api/v1/customers/", {"segment": "Champions"}).json()
    assert champions["count"] > 0
    assert {row["segment"] for row in champions["results"]} == {"Champions"}
    one = api.get("/api/v1/customers/", {"search": body["results"][0]["customer_id"]}).json()
    assert one["results"][0]["customer_id"] == body["results"][0]["customer_id"]


@pytest.mark.parametrize("params", [{"segment": "Nobody"}, {"ordering": "shoe size"}])
def test_customer_list_rejects_unknown_filters(api, params):
    """An unknown segment or ordering is a 400 with code invalid and details for that parameter only."""
    response = api.get("/api/v1/customers/", params)
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert set(response.json()["details"]) == set(params)


def test_list_query_counts_do_not_grow_with_the_page(api):
    """A page of 100 customers runs as many queries as a page of 5."""
    counts = []
    for limit in (5, 100):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/customers/", {"limit": limit, "ordering": "score"}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_customer_detail_score_and_recommendations(api, scored):
    """A customer's detail has RFM, score, purchases and history; score and lists have their own URLs; 404 else."""
    customer_id, score = scored
    detail = api.get(f"/api/v1/customers/{customer_id}/").json()
    assert detail["customer_id"] == customer_id
    assert detail["rfm"]["segment"]
    assert detail["loyalty"]["loyalty_score"] == round(score.loyalty_score, 6)
    assert detail["recent_purchases"]
    assert detail["segment_history"]
    assert api.get(f"/api/v1/customers/{customer_id}/score/").json()["loyal"] == score.loyal
    recs = api.get(f"/api/v1/customers/{customer_id}/recommendations/", {"mode": "discover"}).json()
    assert recs["mode"] == "discover"
    assert len(recs["recommendations"]) == 5
    assert api.get("/api/v1/customers/nobody/").status_code == HTTPStatus.NOT_FOUND
