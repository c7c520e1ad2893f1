"""The mixed load of the production benchmark: predictions, recommendations, customer list and detail.

Run through benchmarks/load.py, which starts gunicorn and passes the token and the sample of real ids/names.
"""

import json
import os
import random

from locust import HttpUser, constant, task

SAMPLE = json.loads(open(os.environ["BENCH_SAMPLE"]).read())  # noqa: SIM115
TOKEN = os.environ["BENCH_TOKEN"]


class ApiClient(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {TOKEN}"
        self.random = random.Random()

    @task(4)
    def predict(self) -> None:
        self.client.post("/predict-loyalty", json={"customer_id": self.random.choice(SAMPLE["ids"])}, name="predict")

    @task(3)
    def recommend(self) -> None:
        self.client.post(
            "/recommend-products", json={"product_name": self.random.choice(SAMPLE["names"])}, name="recommend"
        )

    @task(2)
    def customer_list(self) -> None:
        params = {
            "limit": 25,
            "offset": self.random.randrange(0, 5000),
            "ordering": self.random.choice(["id", "score"]),
        }
        self.client.get("/api/v1/customers/", params=params, name="customer list")

    @task(1)
    def customer_detail(self) -> None:
        self.client.get(f"/api/v1/customers/{self.random.choice(SAMPLE['ids'])}/", name="customer detail")
