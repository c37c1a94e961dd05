import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MetricsAndPagesTests {
    @Test func metricsUseRouteTemplatesAndReportTheProcess() async throws {
        try await TestService.run(configure: { $0.memoryLimit = .init(bytes: 512 << 20) }) { client, _ in
            let iris = try await client.upload("iris.csv")
            let model = try await client.train(iris, algorithm: "logistic_regression")
            for _ in 0..<3 { _ = try await client.json(.post, "/api/models/\(model)/predict", ModelAPITests.setosa) }
            try await client.call(.get, "/no/such/page")
            let text = try await client.call(.get, "/metrics").text
            #expect(text.contains(#"http_requests_total{method="POST",route="/api/models/{id}/predict",status="200"} 3"#), "\(text)")
            #expect(text.contains(#"route="/api/datasets""#))
            #expect(text.contains(#"route="unmatched""#))
            #expect(!text.contains(model + "/predict"), "raw paths must not become labels")
            #expect(text.contains(#"http_request_duration_seconds_bucket{method="POST",route="/api/models/{id}/predict",le="0.5"}"#))
            #expect(text.contains(#"le="0.001""#) && text.contains(#"le="10.0""#))
            #expect(text.contains("prediction_duration_seconds_count 3"))
            #expect(text.contains("model_accuracy{model=\"\(model)\"}"))
            #expect(text.contains("model_f1_score{model=\"\(model)\"}"))
            #expect(text.contains("process_memory_limit_bytes 536870912"))
            for name in ["process_resident_memory_bytes", "process_cpu_seconds_total", "process_start_time_seconds"] {
                #expect(text.contains("# TYPE \(name)"), "\(name)")
            }
        }
    }

    @Test func healthAndReadiness() async throws {
        try await TestService.run { client, _ in
            let health = try await client.call(.get, "/healthz")
            #expect(health.json["status"] as? String == "ok")
            let ready = try await client.call(.get, "/readyz")
            #expect(ready.status == .ok)
        }
    }

    @Test func theWholeFlowInABrowser() async throws {
        try await TestService.run { client, _ in
            let home = try await client.call(.get, "/")
            #expect(home.status == .ok)
            #expect(home.text.contains("enctype=\"multipart/form-data\""))

            let boundary = "XyZ123"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"iris.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
            body.append(try TestService.fixture("iris.csv"))
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let uploaded = try await client.execute(
                uri: "/datasets", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(bytes: body)) { $0 }
            #expect(uploaded.status == .seeOther)
            let datasetPage = try #require(uploaded.headers[.location])
            let dataset = try await client.call(.get, datasetPage)
            #expect(dataset.text.contains("petal width (cm)"))
            #expect(dataset.text.contains("logistic_regression"))
            let datasetID = String(datasetPage.split(separator: "/").last!)

            let form = "dataset=\(datasetID)&target=target&algorithm=logistic_regression&task=auto&test_fraction=0.2&seed=42&name="
            let trained = try await client.execute(
                uri: "/models", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form)) { $0 }
            #expect(trained.status == .seeOther)
            let modelPage = try #require(trained.headers[.location])
            let model = try await client.call(.get, modelPage)
            #expect(model.text.contains("accuracy"), "\(model.text)")
            #expect(model.text.contains("Confusion matrix"))

            let predictForm = "sepal+length+%28cm%29=6.9&sepal+width+%28cm%29=3.1&petal+length+%28cm%29=5.4&petal+width+%28cm%29=2.1"
            let predicted = try await client.execute(
                uri: modelPage + "/predict", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: predictForm)) { response in String(buffer: response.body) }
            #expect(predicted.contains("Prediction: <strong>virginica</strong>"), "\(predicted)")

            let badPredict = try await client.execute(
                uri: modelPage + "/predict", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "sepal+length+%28cm%29=big")) { $0 }
            #expect(badPredict.status == .unprocessableContent)
            #expect(String(buffer: badPredict.body).contains("class=\"error\""))

            let missing = try await client.call(.get, "/models/m_missing")
            #expect(missing.status == .notFound)
        }
    }
}
