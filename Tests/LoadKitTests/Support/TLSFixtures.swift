/// A self-signed certificate and key for `localhost` / `127.0.0.1`, valid until 2126, used only by the
/// TLS tests to run a local https server. Not a secret. Regenerate with:
///
///     openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem \
///       -out cert.pem -days 36500 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
enum TLSFixtures {
    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBmjCCAUGgAwIBAgIUUXW7aFSt42N7dLkRbtDwtbdEI6cwCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNzAxNTMwM1oYDzIxMjYxMTAz
        MDE1MzAzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAARh+JgsyQN3sdilbL2czxALChxZhTouQzpiJiyz08h3ypmFExR+pnxe
        kisrDiDwQ/Uq6+hqO8TXlHH0ZLOw5WQQo28wbTAdBgNVHQ4EFgQUeTCvjHfy+YoS
        r3mv82KlKkYtjPowHwYDVR0jBBgwFoAUeTCvjHfy+YoSr3mv82KlKkYtjPowDwYD
        VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
        zj0EAwIDRwAwRAIgdR7gfVXl3SxfLhCx5SF8u+H52zVhujb5Y0m8IKrNZQwCIHME
        PthonZifMVp7oTGAizIsH+W7BTgmefOmC/xrc1YL
        -----END CERTIFICATE-----
        """

    static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgh9qOaGL+zL8vMx0w
        llbESVFIe8UANHmxXZInzoZ8oiOhRANCAARh+JgsyQN3sdilbL2czxALChxZhTou
        QzpiJiyz08h3ypmFExR+pnxekisrDiDwQ/Uq6+hqO8TXlHH0ZLOw5WQQ
        -----END PRIVATE KEY-----
        """
}
