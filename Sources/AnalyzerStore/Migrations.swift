/// Versioned schema migrations, written in SQL that SQLite and PostgreSQL both accept.
enum Migrations {
    /// `(version, statements)` in order; a version is applied once, in one transaction.
    static let all: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE datasets (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                size_bytes BIGINT NOT NULL,
                row_count BIGINT NOT NULL,
                column_count BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                schema_json TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL
            )
            """,
            """
            CREATE TABLE models (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                dataset_id TEXT NOT NULL,
                target TEXT NOT NULL,
                task TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                config_json TEXT NOT NULL,
                status TEXT NOT NULL,
                error TEXT,
                evaluation_json TEXT,
                features_json TEXT,
                train_rows BIGINT,
                test_rows BIGINT,
                training_seconds DOUBLE PRECISION,
                created_at DOUBLE PRECISION NOT NULL,
                trained_at DOUBLE PRECISION
            )
            """,
            "CREATE INDEX models_dataset_id ON models (dataset_id)",
        ]),
    ]
}
