import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct DatasetAPITests {
    @Test func uploadListShowDelete() async throws {
        try await TestService.run { client, _ in
            let id = try await client.upload("iris.csv", name: "iris")
            let list = try await client.call(.get, "/api/datasets")
            let datasets = try #require(list.json["datasets"] as? [[String: Any]])
            #expect(datasets.map { $0["id"] as? String } == [id])

            let shown = try await client.call(.get, "/api/datasets/\(id)")
            #expect(shown.status == .ok)
            #expect(shown.json["row_count"] as? Int == 150)
            #expect(shown.json["name"] as? String == "iris")
            let columns = try #require(shown.json["columns"] as? [[String: Any]])
            #expect(columns.count == 5)
            let sepal = try #require(columns.first)
            #expect(sepal["name"] as? String == "sepal length (cm)")
            #expect(sepal["type"] as? String == "numeric")
            let summary = try #require(sepal["summary"] as? [String: Any])
            #expect(abs((summary["mean"] as? Double ?? 0) - 5.843333) < 1e-5)
            #expect(summary["min"] as? Double == 4.3)
            #expect(summary["max"] as? Double == 7.9)
            let target = try #require(columns.last)
            #expect(target["type"] as? String == "categorical")
            let top = try #require((target["summary"] as? [String: Any])?["top_values"] as? [[String: Any]])
            #expect(top.count == 3 && top.allSatisfy { $0["count"] as? Int == 50 })

            #expect(try await client.call(.delete, "/api/datasets/\(id)").status == .noContent)
            #expect(try await client.call(.get, "/api/datasets/\(id)").status == .notFound)
            #expect(try await client.call(.delete, "/api/datasets/\(id)").status == .notFound)
        }
    }

    @Test func multipartUploadFromTheHTMLForm() async throws {
        try await TestService.run { client, _ in
            let boundary = "----firedrill\(UUID().uuidString)"
            var body = Data()
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nflowers\r\n".utf8))
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"iris.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8))
            body.append(try TestService.fixture("iris.csv"))
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let response = try await client.call(.post, "/api/datasets", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(response.status == .created, "\(response.text)")
            #expect(response.json["row_count"] as? Int == 150)
            #expect(response.json["name"] as? String == "flowers")
        }
    }

    @Test func semicolonFilesAreDetected() async throws {
        try await TestService.run { client, _ in
            let csv = "a;b;label\n1,5;2;x\n2,5;3;y\n3;4;x\n"
            let response = try await client.call(.post, "/api/datasets", body: Data(csv.utf8), contentType: "text/csv")
            #expect(response.status == .created, "\(response.text)")
            #expect(response.json["column_count"] as? Int == 3)
        }
    }
}
