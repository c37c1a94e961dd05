print("analyzer-bench: to come")
