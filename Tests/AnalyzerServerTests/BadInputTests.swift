import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every kind of bad input gets a clear 4xx JSON error naming what is wrong, and nothing is half-stored.
@Suite struct BadInputTests {
    static let badUploads: [(name: String, body: [UInt8], code: String, mentions: String)] = [
        ("empty body", [], "empty_file", ""),
        ("header only", Array("a,b,c\n".utf8), "no_rows", ""),
        ("ragged row", Array("a,b,c\n1,2,3\n4,5\n".utf8), "ragged_row", "line 3"),
        ("unterminated quote", Array("a,b\n1,\"x\n2,3\n".utf8), "unterminated_quote", "line 2"),
        ("invalid UTF-8", Array("a,b\n1,2\n".utf8) + [0xFF, 0xFE, 0x2C, 0x31, 0x0A], "invalid_utf8", "line 3"),
        ("duplicate column", Array("a,b,a\n1,2,3\n".utf8), "duplicate_column", "\"a\" appears twice"),
    ]

    @Test(arguments: 0..<badUploads.count)
    func badUploadIsRefusedAndNothingIsStored(index: Int) async throws {
        let bad = Self.badUploads[index]
        let dir = TestService.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await TestService.run(dataDirectory: dir) { client, _ in
            let response = try await client.call(.post, "/api/datasets", body: Data(bad.body), contentType: "text/csv")
            #expect((400..<500).contains(response.status.code), "\(bad.name): \(response.status)")
            #expect(response.json.errorCode == bad.code, "\(bad.name): \(response.text)")
            #expect(bad.mentions.isEmpty || response.json.errorMessage.contains(bad.mentions), "\(bad.name): \(response.json.errorMessage)")
            let list = try await client.call(.get, "/api/datasets")
            #expect((list.json["datasets"] as? [Any])?.isEmpty == true)
        }
        try TestService.expectNoUploadFiles(in: dir, bad.name)
    }

    @Test func malformedMultipartIs400() async throws {
        try await TestService.run { client, _ in
            let garbage = Data("--XYZ\r\nno colon in this header line\r\n\r\n1,2\r\n--XYZ--\r\n".utf8)
            let response = try await client.call(.post, "/api/datasets", body: garbage, contentType: "multipart/form-data; boundary=XYZ")
            #expect(response.status == .badRequest, "\(response.status): \(response.text)")
            #expect(response.json.errorCode == "invalid_multipart", "\(response.text)")
            let list = try await client.call(.get, "/api/datasets")
            #expect((list.json["datasets"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func uploadOverTheLimitIs413() async throws {
        try await TestService.run(configure: { $0.maxUploadSize = 1000 }) { client, _ in
            let response = try await client.call(.post, "/api/datasets", body: try TestService.fixture("iris.csv"), contentType: "text/csv")
            #expect(response.status == .contentTooLarge)
            #expect(response.json.errorCode == "payload_too_large")
            #expect(response.json.errorMessage.contains("1000 B"))
        }
    }

    @Test func unknownIdsAre404() async throws {
        try await TestService.run { client, _ in
            #expect(try await client.call(.get, "/api/datasets/ds_nope").json.errorCode == "dataset_not_found")
            #expect(try await client.call(.get, "/api/models/m_nope").json.errorCode == "model_not_found")
            let predict = try await client.json(.post, "/api/models/m_nope/predict", ["x": 1])
            #expect(predict.status == .notFound)
            let train = try await client.json(.post, "/api/models", ["dataset": "ds_nope", "target": "t", "algorithm": "ridge"])
            #expect(train.status == .notFound)
            #expect(train.json.errorMessage.contains("ds_nope"))
        }
    }

    @Test func badTrainingRequests() async throws {
        try await TestService.run { client, _ in
            let iris = try await client.upload("iris.csv")
            let oneClass = try await client.call(
                .post, "/api/datasets", body: Data("x,y\n1,a\n2,a\n3,a\n4,a\n5,a\n".utf8), contentType: "text/csv")
            let oneClassID = try #require(oneClass.json["id"] as? String)
            let noTarget = try await client.call(
                .post, "/api/datasets", body: Data("x,y\n1,\n2,\n3,\n4,NA\n5,\n".utf8), contentType: "text/csv")
            let noTargetID = try #require(noTarget.json["id"] as? String)

            let cases: [(body: [String: Any], code: String, mentions: String)] = [
                (["dataset": iris, "target": "colour", "algorithm": "ridge"], "unknown_target", "colour"),
                (["dataset": oneClassID, "target": "y", "algorithm": "logistic_regression"], "single_class", "y"),
                (["dataset": noTargetID, "target": "y", "algorithm": "linear_regression"], "target_all_missing", "y"),
                (["dataset": iris, "target": "target", "algorithm": "xgboost"], "unknown_algorithm", "xgboost"),
                (["dataset": iris, "target": "target", "algorithm": "random_forest", "params": ["n_trees": 10]], "unknown_parameter", "n_trees"),
                (["dataset": iris, "target": "target", "algorithm": "random_forest", "params": ["n_estimators": -3]], "invalid_parameter", "n_estimators"),
                (["dataset": iris, "target": "target", "algorithm": "logistic_regression", "colour": 1], "unknown_field", "colour"),
                (["dataset": iris, "algorithm": "ridge"], "missing_field", "target"),
                (["dataset": iris, "target": "target", "algorithm": "ridge", "test_fraction": 1.5], "invalid_field", "test_fraction"),
                (["dataset": iris, "target": "target", "algorithm": "ridge", "seed": "abc"], "invalid_field", "seed"),
            ]
            for c in cases {
                let response = try await client.json(.post, "/api/models", c.body)
                #expect(response.status == .unprocessableContent, "\(c.code): \(response.text)")
                #expect(response.json.errorCode == c.code, "\(c.code): \(response.text)")
                #expect(response.json.errorMessage.contains(c.mentions), "\(c.code): \(response.json.errorMessage)")
            }
            let models = try await client.call(.get, "/api/models")
            #expect((models.json["models"] as? [Any])?.isEmpty == true)
            let notJSON = try await client.call(.post, "/api/models", body: Data("{".utf8))
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.json.errorCode == "invalid_json")
        }
    }

    /// Issue 18: a seed of -1 or 2^64 answered "field '' … not valid JSON".
    @Test func seedOutOfRangeNamesTheFieldAndTheRange() async throws {
        try await TestService.run { client, _ in
            let iris = try await client.upload("iris.csv")
            for seed in ["-1", "18446744073709551616", "1.5", "\"7\""] {
                let body = #"{"dataset":"\#(iris)","target":"target","algorithm":"ridge","seed":\#(seed)}"#
                let response = try await client.call(.post, "/api/models", body: Data(body.utf8))
                #expect(response.status == .unprocessableContent, "\(seed): \(response.text)")
                #expect(response.json.errorCode == "invalid_field", "\(seed): \(response.text)")
                #expect(response.json.errorMessage.contains("'seed'"), "\(seed): \(response.text)")
                #expect(response.json.errorMessage.contains("18446744073709551615"), "\(seed): \(response.text)")
            }
            let largest = #"{"dataset":"\#(iris)","target":"target","algorithm":"logistic_regression","seed":18446744073709551615}"#
            let ok = try await client.call(.post, "/api/models", body: Data(largest.utf8))
            #expect(ok.status == .created || ok.status == .accepted, "\(ok.text)")
        }
    }

    @Test func badPredictionInputsNameTheField() async throws {
        try await TestService.run { client, _ in
            let iris = try await client.upload("iris.csv")
            let model = try await client.train(iris, algorithm: "logistic_regression")
            let good: [String: Any] = ["sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4, "petal width (cm)": 0.2]
            var missing = good
            missing["petal width (cm)"] = nil
            var extra = good
            extra["colour"] = "red"
            var mistyped = good
            mistyped["sepal width (cm)"] = "wide"
            var nanString = good
            nanString["petal length (cm)"] = "NaN"
            let cases: [(body: Any, code: String, mentions: String)] = [
                (missing, "missing_field", "petal width (cm)"),
                (extra, "unknown_field", "colour"),
                (mistyped, "invalid_type", "sepal width (cm)"),
                (nanString, "non_finite", "petal length (cm)"),
                ([good, mistyped], "invalid_type", "sepal width (cm)"),
            ]
            for c in cases {
                let response = try await client.json(.post, "/api/models/\(model)/predict", c.body)
                #expect(response.status == .unprocessableContent, "\(c.code): \(response.text)")
                #expect(response.json.errorCode == c.code, "\(c.code): \(response.text)")
                #expect(response.json.errorMessage.contains(c.mentions), "\(c.code): \(response.json.errorMessage)")
            }
            let literalNaN = #"{"sepal length (cm)": NaN, "sepal width (cm)": 3.5, "petal length (cm)": 1.4, "petal width (cm)": 0.2}"#
            let response = try await client.call(.post, "/api/models/\(model)/predict", body: Data(literalNaN.utf8))
            #expect(response.status == .unprocessableContent)
            #expect(response.json.errorCode == "non_finite")
            #expect(response.json.errorMessage.contains("sepal length (cm)"))
            let empty = try await client.call(.post, "/api/models/\(model)/predict", body: Data())
            #expect(empty.status == .badRequest)
            #expect(empty.json.errorCode == "empty_body")
        }
    }
}
