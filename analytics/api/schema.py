"""The OpenAPI documentation of the API, apart from the views: documented error responses, parameters and the
request/response examples shown on /api/docs/ (drf-spectacular)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from analytics.api.fields import ErrorSerializer, SeedErrorSerializer

SEED_TAG = ["Seed-compatible"]
SEED_ERRORS = {
    400: OpenApiResponse(SeedErrorSerializer, description="Missing or invalid JSON or fields."),
    401: OpenApiResponse(SeedErrorSerializer, description="No or invalid credentials."),
    404: OpenApiResponse(SeedErrorSerializer, description="Unknown customer or product."),
    503: OpenApiResponse(
        SeedErrorSerializer, description="No model or recommendations yet: says which command to run."
    ),
}

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid credentials."),
    404: OpenApiResponse(ErrorSerializer, description="Not found."),
}
STAFF_ERRORS = {**ERRORS, 403: OpenApiResponse(ErrorSerializer, description="Staff only.")}
UNAVAILABLE = {503: OpenApiResponse(ErrorSerializer, description="No model or recommendations yet.")}
CUSTOMER_ID = OpenApiParameter("external_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="Customer id.")


IMPORT_EXAMPLE = {
    "id": 7,
    "source_name": "purchases.csv",
    "status": "succeeded",
    "phase": "",
    "sha256": "9f2c…",
    "rows_read": 500,
    "rows_imported": 487,
    "rows_duplicate": 6,
    "rows_existing": 0,
    "rows_rejected": 7,
    "transactions_created": 189,
    "customers_created": 50,
    "products_created": 30,
    "rejected_rows": [{"line": 84, "reason": "customer_id is empty", "values": ["T0000031", "", "2024-02-11"]}],
    "warnings": [],
    "error": "",
    "options": {"delimiter": ","},
    "created_at": "2024-12-31T10:00:00Z",
    "started_at": "2024-12-31T10:00:01Z",
    "finished_at": "2024-12-31T10:00:02Z",
    "duration_seconds": 0.4,
}


HEALTH_EXAMPLES = [OpenApiExample("Healthy", value={"status": "healthy"}, response_only=True)]

READYZ_EXAMPLES = [
    OpenApiExample("Ready", value={"status": "ready", "checks": {"database": True, "model": True}}, response_only=True),
    OpenApiExample(
        "No model yet",
        value={"status": "not ready", "checks": {"database": True, "model": False}},
        response_only=True,
        status_codes=["503"],
    ),
]

PREDICT_LOYALTY_POST_EXAMPLES = [
    OpenApiExample("Request", value={"customer_id": "1001"}, request_only=True),
    OpenApiExample(
        "Prediction", value={"customer_id": "1001", "loyalty_score": 0.95, "loyal": True}, response_only=True
    ),
    OpenApiExample(
        "Unknown customer",
        value={"error": "Unknown customer: '9999'."},
        response_only=True,
        status_codes=["404"],
    ),
    OpenApiExample(
        "No model yet",
        value={"error": "No loyalty model has been trained yet: run `python manage.py train`."},
        response_only=True,
        status_codes=["503"],
    ),
]

RECOMMEND_PRODUCTS_POST_EXAMPLES = [
    OpenApiExample("Request", value={"product_name": "Apple"}, request_only=True),
    OpenApiExample(
        "Recommendations",
        value={"product": "Apple", "recommendations": ["Milk", "Banana", "Bread", "Eggs", "Cheese"]},
        response_only=True,
    ),
    OpenApiExample(
        "Unknown product",
        value={"error": "Unknown product: 'Chese'. Did you mean: Cheese?"},
        response_only=True,
        status_codes=["404"],
    ),
]

CUSTOMER_LIST_EXAMPLES = [
    OpenApiExample(
        "A page of customers",
        value={
            "count": 50,
            "next": "http://127.0.0.1:8000/api/v1/customers/?limit=1&offset=1",
            "previous": None,
            "results": [
                {
                    "customer_id": "1001",
                    "name": "",
                    "segment": "Champions",
                    "recency_days": 3,
                    "frequency": 9,
                    "monetary": "84.20",
                    "rfm_score": 0.81,
                    "loyalty_score": 0.74,
                    "loyal": True,
                }
            ],
        },
        response_only=True,
    )
]

CUSTOMER_DETAIL_EXAMPLES = [
    OpenApiExample(
        "Customer",
        value={
            "customer_id": "1001",
            "name": "",
            "email": "",
            "rfm": {
                "as_of": "2024-12-30",
                "segment": "Loyal Customers",
                "recency_days": 12,
                "frequency": 6,
                "monetary": "61.40",
                "tenure_days": 320,
                "mean_gap_days": 61.6,
                "r_score": 3,
                "f_score": 4,
                "m_score": 4,
                "rfm_score": 0.63,
            },
            "loyalty": {"loyalty_score": 0.58, "loyal": True, "model": 3, "scored_at": "2024-12-31T10:00:00Z"},
            "segment_history": [{"as_of": "2024-12-30", "segment": "Loyal Customers", "rfm_score": 0.63}],
            "recent_purchases": [
                {
                    "transaction_id": "T0000180",
                    "date": "2024-12-18",
                    "total_amount": "6.47",
                    "is_return": False,
                    "items": [{"product": "Milk", "quantity": "1.000", "amount": "1.29"}],
                }
            ],
        },
        response_only=True,
    )
]

CUSTOMER_SCORE_EXAMPLES = [
    OpenApiExample(
        "Score",
        value={
            "customer_id": "1001",
            "loyalty_score": 0.58,
            "loyal": True,
            "model": 3,
            "scored_at": "2024-12-31T10:00:00Z",
        },
        response_only=True,
    )
]

CUSTOMER_RECOMMENDATIONS_EXAMPLES = [
    OpenApiExample(
        "Buy again",
        value={
            "customer_id": "1001",
            "mode": "buy_again",
            "recommendations": [{"product": "Milk", "score": 0.42, "source": "personal"}],
        },
        response_only=True,
    )
]

PRODUCT_RECOMMENDATIONS_EXAMPLES = [
    OpenApiExample(
        "Bought together",
        value={
            "product": "Pasta",
            "recommendations": [
                {
                    "product": "Tomato Sauce",
                    "rank": 1,
                    "score": 12.5,
                    "support": 0.041,
                    "confidence": 0.62,
                    "lift": 9.8,
                    "source": "basket",
                }
            ],
        },
        response_only=True,
    ),
    OpenApiExample(
        "Unknown product",
        value={
            "error": "Unknown product: 'Chese'.",
            "code": "unknown_product",
            "suggestions": ["Cheese"],
        },
        response_only=True,
        status_codes=["404"],
    ),
]

PRODUCT_SEARCH_EXAMPLES = [OpenApiExample("Names", value={"results": ["Milk", "Oat Milk"]}, response_only=True)]

SEGMENT_SUMMARY_EXAMPLES = [
    OpenApiExample(
        "Segments",
        value={
            "as_of": "2024-12-30",
            "customers": 50,
            "segments": [
                {
                    "segment": "Champions",
                    "description": "Bought recently, buy often and spend the most.",
                    "customers": 11,
                    "share": 0.22,
                    "avg_recency_days": 9.5,
                    "avg_frequency": 6.1,
                    "avg_monetary": 58.3,
                    "avg_loyalty_score": 0.41,
                }
            ],
        },
        response_only=True,
    )
]

MODEL_LIST_EXAMPLES = [
    OpenApiExample(
        "Models",
        value={
            "count": 1,
            "next": None,
            "previous": None,
            "results": [
                {
                    "id": 3,
                    "kind": "loyalty",
                    "status": "done",
                    "is_active": True,
                    "algorithm": "blend",
                    "validation_roc_auc": 0.769,
                    "threshold": 0.28,
                    "created_at": "2024-12-31T10:00:00Z",
                    "finished_at": "2024-12-31T10:00:20Z",
                    "error": "",
                }
            ],
        },
        response_only=True,
    )
]

MODEL_DETAIL_EXAMPLES = [
    OpenApiExample(
        "Model",
        value={
            "id": 3,
            "algorithm": "blend",
            "metrics": {"validation": {"blend": {"roc_auc": 0.769, "brier": 0.0908}}},
            "data_window": {"cutoff": "1997-08-01", "label_window_days": 60},
        },
        response_only=True,
    )
]

IMPORT_RUN_LIST_EXAMPLES = [
    OpenApiExample("Imports", value={"count": 1, "results": [IMPORT_EXAMPLE]}, response_only=True)
]

IMPORT_RUN_LIST_POST_EXAMPLES = [
    OpenApiExample(
        "Queued",
        value={"job": 12, "job_url": "http://127.0.0.1:8000/api/v1/jobs/12/", "import_run": 7},
        response_only=True,
        status_codes=["202"],
    )
]

IMPORT_RUN_DETAIL_EXAMPLES = [OpenApiExample("Import", value=IMPORT_EXAMPLE, response_only=True)]

TRAIN_START_POST_EXAMPLES = [
    OpenApiExample("Request", value={"label_window_days": 60}, request_only=True),
    OpenApiExample(
        "Queued",
        value={"job": 13, "job_url": "http://127.0.0.1:8000/api/v1/jobs/13/"},
        response_only=True,
        status_codes=["202"],
    ),
]

JOB_DETAIL_EXAMPLES = [
    OpenApiExample(
        "Running",
        value={
            "id": 13,
            "kind": "train",
            "status": "running",
            "progress": "fitting blend",
            "error": "",
            "attempts": 1,
            "import_run": None,
            "model": 4,
            "created_at": "2024-12-31T10:00:00Z",
            "started_at": "2024-12-31T10:00:01Z",
            "finished_at": None,
        },
        response_only=True,
    )
]
