import Hummingbird

/// `GET /openapi.json`: the service's OpenAPI 3.1 contract, `HTTP/openapi.json` compiled into the
/// binary. It is kept by hand (the routes are plain Hummingbird closures, so swift-openapi-generator
/// would mean rewriting them); `OpenAPIContractTests` fails when a route and the document disagree,
/// and `scripts/test-contract` fuzzes a live server against it with Schemathesis.
enum OpenAPIDocument {
    /// The document's bytes.
    static var bytes: [UInt8] { PackageResources.openapi_json }

    static func register(on router: Router<BasicRequestContext>) {
        router.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Self.bytes)))
        }
    }
}
