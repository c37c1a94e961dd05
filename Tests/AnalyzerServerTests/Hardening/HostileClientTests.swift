import Foundation
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import Testing

/// A hostile client's requests that once got an empty or misleading answer: each is a 4xx JSON
/// error naming what is wrong (and, for a method the route does not take, the methods it does).
@Suite struct HostileClientTests {
    @Test func anUnknownPathIsAJSON404() async throws {
        try await TestService.run { client, _ in
            let response = try await client.call(.get, "/api/nope")
            #expect(response.status == .notFound)
            #expect(response.json.errorCode == "route_not_found", "\(response.text)")
            #expect(response.json.errorMessage.contains("/api/nope"), "\(response.text)")
        }
    }

    @Test func aMethodTheRouteDoesNotTakeIs405WithAllow() async throws {
        try await TestService.run { client, _ in
            let cases: [(HTTPRequest.Method, String, allow: String)] = [
                (.put, "/api/datasets", "GET, HEAD, POST"),
                (.patch, "/api/models/m_x", "DELETE, GET, HEAD"),
                (.get, "/api/models/m_x/predict", "POST"),
                (.delete, "/api/serving/iris/predict", "POST"),
            ]
            for (method, path, allow) in cases {
                try await client.execute(uri: path, method: method) { response in
                    let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
                    #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
                    #expect(response.headers[.allow] == allow, "\(method) \(path)")
                    #expect(json.errorCode == "method_not_allowed", "\(method) \(path)")
                    #expect(json.errorMessage.contains(allow), "\(method) \(path): \(json.errorMessage)")
                }
            }
        }
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        try await TestService.run { client, _ in
            try await client.execute(uri: "/api/datasets", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    /// The body limits of the JSON endpoints answered 413 with an empty body.
    @Test func aBodyOverAnEndpointsLimitIsAJSON413() async throws {
        try await TestService.run(configure: { $0.maxUploadSize = 1000 }) { client, _ in
            let row = "{" + (0..<200).map { "\"c\($0)\":\($0)" }.joined(separator: ",") + "}"
            let predict = try await client.call(.post, "/api/models/m_x/predict", body: Data(row.utf8))
            #expect(predict.status == .contentTooLarge)
            #expect(predict.json.errorCode == "payload_too_large", "\(predict.text)")
            #expect(predict.json.errorMessage.contains("1000 B"), "\(predict.text)")
            let name = String(repeating: "x", count: 2 << 20)
            let train = try await client.call(.post, "/api/models", body: Data(#"{"name":"\#(name)"}"#.utf8))
            #expect(train.status == .contentTooLarge)
            #expect(train.json.errorCode == "payload_too_large", "\(train.text)")
            #expect(train.json.errorMessage.contains("1.0 MiB"), "\(train.text)")
        }
    }

    /// A multipart body that ends before its closing boundary is a truncated upload, not a dataset.
    @Test func aMultipartBodyWithoutItsClosingBoundaryIsRefused() async throws {
        let dir = TestService.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await TestService.run(dataDirectory: dir) { client, _ in
            let truncated = "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\n1,2\n3,"
            let response = try await client.call(
                .post, "/api/datasets", body: Data(truncated.utf8), contentType: "multipart/form-data; boundary=XYZ")
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.json.errorCode == "invalid_multipart", "\(response.text)")
            #expect(response.json.errorMessage.contains("closing boundary"), "\(response.text)")
            let list = try await client.call(.get, "/api/datasets")
            #expect((list.json["datasets"] as? [Any])?.isEmpty == true)
        }
        try TestService.expectNoUploadFiles(in: dir)
    }

    /// A wrong type inside `params` or `test_indices` was named with Swift's words
    /// ("Dictionary<String, Any>", "test_indices.Index 0").
    @Test func aMistypedNestedFieldIsNamedInJSONTerms() async throws {
        try await TestService.run { client, _ in
            let iris = try await client.upload("iris.csv")
            let cases: [(extra: String, mentions: String)] = [
                (#""params":[1]"#, "field 'params' must be an object"),
                (#""test_indices":["a"]"#, "field 'test_indices[0]' must be an integer"),
                (#""test_indices":5"#, "field 'test_indices' must be a list of integers"),
            ]
            for c in cases {
                let body = #"{"dataset":"\#(iris)","target":"target","algorithm":"logistic_regression",\#(c.extra)}"#
                let response = try await client.call(.post, "/api/models", body: Data(body.utf8))
                #expect(response.status == .unprocessableContent, "\(c.extra): \(response.text)")
                #expect(response.json.errorCode == "invalid_field", "\(c.extra): \(response.text)")
                #expect(response.json.errorMessage == c.mentions, "\(c.extra): \(response.text)")
            }
        }
    }

    /// A prediction body of the wrong shape answered "body is not a JSON object (or array of
    /// objects)" without saying where; the message now names the field or the array element.
    @Test func aMisshapenPredictionNamesTheFieldOrTheElement() async throws {
        try await TestService.run { client, _ in
            let iris = try await client.upload("iris.csv")
            let model = try await client.train(iris, algorithm: "logistic_regression")
            let good = #""sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4"#
            let cases: [(body: String, mentions: String)] = [
                (#"{\#(good), "petal width (cm)": {"a": 1}}"#, "field 'petal width (cm)'"),
                (#"{\#(good), "petal width (cm)": [1, 2]}"#, "field 'petal width (cm)'"),
                (#"{\#(good), "petal width (cm)": 1e400}"#, "field 'petal width (cm)'"),
                (#"[{\#(good), "petal width (cm)": 0.2}, 5]"#, "array element 1"),
                (#"[{\#(good), "petal width (cm)": 0.2}, {\#(good), "petal width (cm)": {}}]"#, "array element 1, field 'petal width (cm)'"),
            ]
            for c in cases {
                let response = try await client.call(.post, "/api/models/\(model)/predict", body: Data(c.body.utf8))
                #expect(response.status == .badRequest, "\(c.body): \(response.text)")
                #expect(response.json.errorCode == "invalid_json", "\(c.body): \(response.text)")
                #expect(response.json.errorMessage.contains(c.mentions), "\(c.body): \(response.text)")
            }
        }
    }

    /// A JSON syntax error or an unrepresentable number in a training, retrain or feedback body was
    /// "body must be a JSON object"; the message now says the JSON is invalid and where.
    @Test func invalidJSONSaysWhatTheParserFound() async throws {
        try await TestService.run { client, _ in
            let iris = try await client.upload("iris.csv")
            let model = try await client.train(iris, algorithm: "logistic_regression")
            let cases: [(path: String, body: String, mentions: String)] = [
                ("/api/models", #"{"dataset":"\#(iris)","target":"target","algorithm":"ridge","seed":1e400}"#, "1e400"),
                ("/api/models", #"{"dataset":"\#(iris)"} trailing"#, "not valid JSON"),
                ("/api/models/\(model)/retrain", #"{"dataset":"#, "not valid JSON"),
                ("/api/models/\(model)/feedback", #"[{"prediction_id":"p","label":{"x":1}}]"#, "array element 0, field 'label'"),
                ("/api/models/\(model)/feedback", #"{"prediction_id":"p","value":1e400}"#, "field 'value'"),
            ]
            for c in cases {
                let response = try await client.call(.post, c.path, body: Data(c.body.utf8))
                #expect(response.status == .badRequest, "\(c.path) \(c.body): \(response.text)")
                #expect(response.json.errorCode == "invalid_json", "\(c.path) \(c.body): \(response.text)")
                #expect(response.json.errorMessage.contains(c.mentions), "\(c.path) \(c.body): \(response.text)")
            }
        }
    }

    /// Under a supervisor the admin API is the supervisor's: an unknown admin path or a method
    /// it does not take was an empty 404 there, relayed as such by the worker.
    @Test func theSupervisorsAdminAPIAnswers404And405AsJSON() async throws {
        let service = try PoolProcess(["--workers", "1"])
        defer { service.stop() }
        let unknown = try await service.request(.POST, "/admin/nope", admin: true)
        #expect(unknown.status == 404, "\(unknown.text)")
        #expect(unknown.json.errorCode == "route_not_found", "\(unknown.text)")
        let put = try await service.request(.PUT, "/admin/faults", admin: true)
        #expect(put.status == 405, "\(put.text)")
        #expect(put.json.errorCode == "method_not_allowed", "\(put.text)")
        #expect(put.headers.first(name: "allow") == "DELETE, GET, HEAD, POST", "\(put.headers)")
        let api = try await service.request(.PUT, "/api/datasets")
        #expect(api.status == 405, "\(api.text)")
        #expect(api.headers.first(name: "allow") == "GET, HEAD, POST", "\(api.headers)")
    }

    /// `boundary=""` reached MultipartKit's `precondition(!boundary.isEmpty)` and killed the
    /// service; a boundary RFC 2046 does not allow (empty, over 70 characters) is now a 400.
    @Test func anEmptyOrOverlongMultipartBoundaryIs400AndTheServiceLives() async throws {
        let service = try PoolProcess([])
        defer { service.stop() }
        let body = Data("--\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\n1,2\n\r\n----\r\n".utf8)
        for boundary in [#""""#, #"" ""#, String(repeating: "b", count: 71)] {
            let reply = try await service.request(.POST, "/api/datasets", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(reply.status == 400, "\(boundary): \(reply.status) \(reply.text)")
            #expect(reply.json.errorCode == "invalid_multipart", "\(boundary): \(reply.text)")
            #expect(reply.json.errorMessage.contains("boundary"), "\(boundary): \(reply.text)")
        }
        #expect(try await service.request(.GET, "/healthz").status == 200)
    }

    /// Values near the largest double made linear_regression and ridge spin for ever and the trees
    /// answer 500 (an infinite MAE cannot be JSON); training now refuses the column by name.
    @Test func valuesTooLargeToTrainOnAreRefusedByColumn() async throws {
        try await TestService.run { client, _ in
            let csv = "x,y\n1e308,1e308\n-1e308,-1e308\n1e308,1e308\n-1e308,1e308\n1,2\n3,4\n"
            let upload = try await client.call(.post, "/api/datasets", body: Data(csv.utf8), contentType: "text/csv")
            let dataset = try #require(upload.json["id"] as? String, "\(upload.text)")
            for algorithm in ["linear_regression", "ridge", "decision_tree", "random_forest"] {
                let response = try await client.json(
                    .post, "/api/models", ["dataset": dataset, "target": "y", "algorithm": algorithm, "task": "regression"])
                #expect(response.status == .unprocessableContent, "\(algorithm): \(response.text)")
                #expect(response.json.errorCode == "value_too_large", "\(algorithm): \(response.text)")
                #expect(response.json.errorMessage.contains("column 'x'"), "\(algorithm): \(response.text)")
            }
            let models = try await client.call(.get, "/api/models")
            #expect((models.json["models"] as? [Any])?.isEmpty == true, "\(models.text)")
        }
    }
}
