# The master's locustfile: one user class. Its tasks never run here (the workers are firedrill
# processes running scenario.yaml); the master only needs the class name and weight.
from locust import HttpUser, constant, task


class Visitor(HttpUser):
    wait_time = constant(0.1)

    @task
    def index(self):
        self.client.get("/")
