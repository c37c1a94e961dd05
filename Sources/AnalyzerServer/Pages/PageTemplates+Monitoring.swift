/// Templates of the model-monitoring parts of the pages: the model page's section (a partial) and
/// the runs page.
extension PageTemplates {
    static let monitoring: [String: String] = ["model-monitoring": modelMonitoring, "runs": runs]

    static let verdictStyle = """
    <style>.v-stable{background:#c6f6d5}.v-moderate{background:#fefcbf}.v-drifted{background:#fed7d7}.v-no_data{background:#edf2f7}</style>
    """

    static let modelMonitoring = verdictStyle + """
    {{#monitoring}}
    {{#ready}}
    <section><h2>Data drift (PSI){{#drift}} <span class="badge v-{{verdict}}">{{verdict}}</span>{{/drift}}</h2>
    {{#drift}}
    <p class="muted">Live window: {{windowSize}} of at most {{capacity}} recent prediction rows (age limit: {{age}}) against the training sample ·
    largest PSI <strong>{{psiMax}}</strong> · stable &lt; 0.1, drifted &gt; 0.2 · <a href="/api/models/{{id}}/drift">bins (JSON)</a></p>
    <table><tr><th>Feature</th><th>Kind</th><th class="num">PSI</th><th>Verdict</th><th class="num">Bins</th><th class="num">Live values</th></tr>
    {{#features}}<tr><td>{{name}}</td><td>{{kind}}</td><td class="num">{{psi}}</td><td><span class="badge v-{{verdict}}">{{verdict}}</span></td><td class="num">{{bins}}</td><td class="num">{{live}}</td></tr>{{/features}}
    </table>
    {{/drift}}
    {{#driftUnavailable}}<p class="muted">{{driftUnavailable}}</p>{{/driftUnavailable}}
    </section>
    {{#live}}
    <section><h2>Live quality</h2>
    <p class="muted">{{labelled}} labelled predictions (last {{window}}) · send labels with <code>POST /api/models/{{id}}/feedback</code>
    <code>{"prediction_id": "…", "label": "…"}</code></p>
    {{#hasLabels}}<table><tr><th>Metric</th><th class="num">Live</th><th class="num">Test split</th></tr>
    {{#rows}}<tr><td>{{name}}</td><td class="num">{{live}}</td><td class="num">{{test}}</td></tr>{{/rows}}</table>{{/hasLabels}}
    </section>
    {{/live}}
    {{/ready}}
    <section><h2>Versions</h2>
    <table><tr><th class="num">Version</th><th>Model</th><th>Status</th><th class="num">Score</th><th>Trained</th><th>Served</th></tr>
    {{#versions}}<tr><td class="num">{{version}}</td><td>{{#isThis}}<strong>{{model}}</strong>{{/isThis}}{{^isThis}}<a href="/models/{{model}}">{{model}}</a>{{/isThis}}</td><td><span class="badge">{{status}}</span></td><td class="num">{{score}}</td><td>{{created}}</td>
    <td>{{#served}}<span class="badge v-stable">served</span>{{/served}}{{#canServe}}<form method="post" action="/models/{{model}}/serve" style="display:inline"><button type="submit" style="margin:0;padding:.2rem .6rem">Serve</button></form>{{/canServe}}</td></tr>{{/versions}}
    </table>
    {{#ready}}<form method="post" action="/models/{{id}}/retrain"><button type="submit">Retrain (same settings, new version)</button></form>{{/ready}}
    </section>
    <section><h2>Training runs</h2>
    <table><tr><th>Run</th><th class="num">Version</th><th>Status</th><th>Metrics</th><th>Dataset (sha256, rows×cols)</th><th class="num">Seconds</th><th>MLflow</th></tr>
    {{#runs}}<tr><td><code>{{id}}</code></td><td class="num">{{version}}</td><td>{{status}}</td><td>{{metrics}}{{error}}</td><td>{{dataset}} <code>{{sha}}</code> {{rows}}×{{columns}}</td><td class="num">{{seconds}}</td><td>{{mlflow}}</td></tr>{{/runs}}
    </table>
    <p><a href="/runs">All runs</a></p>
    </section>
    {{/monitoring}}
    """

    static let runs = """
    <h1>Training runs</h1>
    <section>
    <p class="muted">Every training is recorded: parameters, metrics, dataset fingerprint, duration and the stored model artifact.
    {{#mlflow}}Runs are also logged to MLflow at <code>{{mlflow}}</code>.{{/mlflow}}{{^mlflow}}MLflow logging is off (set <code>MLFLOW_TRACKING_URI</code>).{{/mlflow}}
    JSON: <a href="/api/runs">/api/runs</a></p>
    {{#hasRuns}}
    <table><tr><th>Started</th><th>Model</th><th class="num">Version</th><th>Status</th><th>Metrics</th><th>Dataset (sha256, rows×cols)</th><th class="num">Seconds</th><th>Artifact</th><th>MLflow</th></tr>
    {{#runs}}<tr><td>{{started}}</td><td><a href="/models/{{model}}">{{name}}</a></td><td class="num">{{version}}</td><td>{{status}}</td><td>{{metrics}}{{error}}</td>
    <td><a href="/datasets/{{datasetId}}">{{dataset}}</a> <code>{{sha}}</code> {{rows}}×{{columns}}</td><td class="num">{{seconds}}</td><td><code>{{artifact}}</code></td><td>{{mlflow}}</td></tr>{{/runs}}
    </table>
    {{/hasRuns}}
    {{^hasRuns}}<p class="muted">No training yet.</p>{{/hasRuns}}
    </section>
    """
}
