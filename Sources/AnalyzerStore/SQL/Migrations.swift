/// Versioned schema migrations, written in SQL that SQLite and PostgreSQL both accept (TEXT, BIGINT,
/// DOUBLE PRECISION; timestamps are seconds since 1970; JSON is stored as TEXT).
///
/// Append, never edit: a released version is applied once per database. Version 4 (model monitoring)
/// adds `runs`, `model_versions` and `served_models` and two nullable columns on `feedback`, all
/// additive, so existing rows stay valid.
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
        // Which process trains a model, so that a restart removes only trainings whose process died.
        (2, [
            "ALTER TABLE models ADD COLUMN owner TEXT",
            "ALTER TABLE models ADD COLUMN heartbeat_at DOUBLE PRECISION",
        ]),
        // The prediction log and the feedback (true labels/values) that live monitoring reads.
        (3, [
            """
            CREATE TABLE prediction_log (
                id TEXT PRIMARY KEY,
                model_id TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                inputs_json TEXT NOT NULL,
                output_json TEXT NOT NULL
            )
            """,
            "CREATE INDEX prediction_log_model_created ON prediction_log (model_id, created_at)",
            """
            CREATE TABLE feedback (
                prediction_id TEXT PRIMARY KEY,
                model_id TEXT NOT NULL,
                label TEXT,
                value DOUBLE PRECISION,
                created_at DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX feedback_model_created ON feedback (model_id, created_at)",
        ]),
        // Model monitoring: training runs (tracking), model versions per name and the served version,
        // and the predicted output beside each feedback label (live quality without a join).
        (4, [
            """
            CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                model_id TEXT NOT NULL,
                model_name TEXT NOT NULL,
                model_version BIGINT,
                dataset_id TEXT NOT NULL,
                dataset_name TEXT NOT NULL,
                dataset_sha256 TEXT NOT NULL,
                dataset_rows BIGINT NOT NULL,
                dataset_columns BIGINT NOT NULL,
                status TEXT NOT NULL,
                error TEXT,
                params_json TEXT NOT NULL,
                metrics_json TEXT NOT NULL,
                duration_seconds DOUBLE PRECISION NOT NULL,
                artifact_path TEXT,
                artifact_bytes BIGINT,
                started_at DOUBLE PRECISION NOT NULL,
                finished_at DOUBLE PRECISION NOT NULL,
                mlflow_status TEXT,
                mlflow_experiment_id TEXT,
                mlflow_run_id TEXT,
                mlflow_error TEXT
            )
            """,
            "CREATE INDEX runs_model_started ON runs (model_id, started_at)",
            "CREATE INDEX runs_started ON runs (started_at)",
            """
            CREATE TABLE model_versions (
                model_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                version BIGINT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX model_versions_name_version ON model_versions (name, version)",
            """
            CREATE TABLE served_models (
                name TEXT PRIMARY KEY,
                model_id TEXT NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            )
            """,
            "ALTER TABLE feedback ADD COLUMN predicted_label TEXT",
            "ALTER TABLE feedback ADD COLUMN predicted_value DOUBLE PRECISION",
        ]),
    ]
}
