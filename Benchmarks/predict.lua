-- wrk script: POST one iris row to the model whose id is in the MODEL environment variable.
wrk.method = "POST"
wrk.path = "/api/models/" .. os.getenv("MODEL") .. "/predict"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"sepal length (cm)":5.9,"sepal width (cm)":3.0,"petal length (cm)":5.1,"petal width (cm)":1.8}'
