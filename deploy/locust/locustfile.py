# The Locust master's locustfile for firedrill workers: it only names the user class the workers run
# (firedrill maps it onto the scenario's class of the same name, here scenarios/smoke.yaml's
# Visitor; a name the scenario lacks shares the users among its classes by weight). The master
# never runs these tasks itself.
from locust import HttpUser, task


class Visitor(HttpUser):
    @task
    def healthz(self):
        self.client.get("/healthz")
