/// The HTML pages' Mustache templates, compiled into the binary so a deployed executable needs no
/// resource files. `layout` wraps every page; the others render its `content`.
enum PageTemplates {
    static let all: [String: String] = [
        "layout": layout, "home": home, "dataset": dataset, "model": model, "error": error,
    ]

    static let layout = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · csv-analyzer</title>
    <style>
    body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
    header{background:#1d2330;color:#fff;padding:.8rem 1.5rem}header a{color:#fff;text-decoration:none;font-weight:600}
    main{max-width:1100px;margin:1.5rem auto;padding:0 1.5rem}
    section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:1rem 1.25rem;margin-bottom:1.25rem}
    h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:0}
    table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eceef2}
    th{background:#f0f2f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
    label{display:block;margin:.5rem 0 .2rem;font-weight:600;font-size:.9rem}
    input,select{padding:.4rem;border:1px solid #c5cbd5;border-radius:4px;font-size:.95rem;min-width:14rem}
    button{margin-top:.8rem;padding:.5rem 1rem;border:0;border-radius:4px;background:#2b6cb0;color:#fff;font-size:.95rem;cursor:pointer}
    button.danger{background:#c53030}.muted{color:#667085}.error{background:#fff5f5;border-color:#feb2b2;color:#9b2c2c}
    .ok{background:#f0fff4;border-color:#9ae6b4}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.5rem 1rem}
    .badge{padding:.1rem .45rem;border-radius:4px;background:#edf2f7;font-size:.8rem}
    .cm td{text-align:center}.cm td.hit{background:#c6f6d5}
    </style></head>
    <body><header><a href="/">csv-analyzer</a> <span class="muted">· upload · train · predict</span></header>
    <main>
    {{#flash}}<section class="error"><strong>{{code}}</strong>: {{message}}</section>{{/flash}}
    {{{content}}}
    </main></body></html>
    """

    static let home = """
    <h1>Datasets and models</h1>
    <section>
    <h2>Upload a CSV dataset</h2>
    <form method="post" action="/datasets" enctype="multipart/form-data">
    <label for="file">CSV file (comma or semicolon separated, header row first)</label>
    <input id="file" type="file" name="file" accept=".csv,text/csv" required>
    <label for="name">Name (optional)</label><input id="name" type="text" name="name">
    <div><button type="submit">Upload</button></div>
    </form>
    </section>
    <section>
    <h2>Datasets</h2>
    {{#hasDatasets}}
    <table><tr><th>Name</th><th>Id</th><th class="num">Rows</th><th class="num">Columns</th><th class="num">Size</th><th>Uploaded</th></tr>
    {{#datasets}}<tr><td><a href="/datasets/{{id}}">{{name}}</a></td><td><code>{{id}}</code></td><td class="num">{{rows}}</td><td class="num">{{columns}}</td><td class="num">{{size}}</td><td>{{created}}</td></tr>{{/datasets}}
    </table>
    {{/hasDatasets}}
    {{^datasets}}<p class="muted">No datasets yet: upload a CSV above.</p>{{/datasets}}
    </section>
    <section>
    <h2>Models</h2>
    {{#hasModels}}
    <table><tr><th>Name</th><th>Algorithm</th><th>Task</th><th>Status</th><th>Score</th><th>Trained</th></tr>
    {{#models}}<tr><td><a href="/models/{{id}}">{{name}}</a></td><td>{{algorithm}}</td><td>{{task}}</td><td><span class="badge">{{status}}</span></td><td>{{score}}</td><td>{{created}}</td></tr>{{/models}}
    </table>
    {{/hasModels}}
    {{^models}}<p class="muted">No models yet: open a dataset and train one.</p>{{/models}}
    <p><a href="/runs">Training runs</a> (parameters, metrics, dataset fingerprints, MLflow)</p>
    </section>
    """

    static let dataset = """
    <h1>{{name}} <span class="muted">({{id}})</span></h1>
    <section>
    <p>{{rows}} rows · {{columnCount}} columns · {{size}} · sha256 <code>{{sha}}</code></p>
    <table><tr><th>Column</th><th>Type</th><th class="num">Missing</th><th class="num">Distinct</th><th class="num">Min</th><th class="num">Max</th><th class="num">Mean</th><th class="num">Std</th><th>Top values</th></tr>
    {{#columns}}<tr><td>{{name}}</td><td><span class="badge">{{type}}</span></td><td class="num">{{missing}}</td><td class="num">{{distinct}}</td><td class="num">{{min}}</td><td class="num">{{max}}</td><td class="num">{{mean}}</td><td class="num">{{std}}</td><td>{{top}}</td></tr>{{/columns}}
    </table>
    </section>
    <section>
    <h2>Train a model</h2>
    <form method="post" action="/models">
    <input type="hidden" name="dataset" value="{{id}}">
    <div class="grid">
    <div><label for="target">Target column</label><select id="target" name="target">{{#columns}}<option{{#isLast}} selected{{/isLast}}>{{name}}</option>{{/columns}}</select></div>
    <div><label for="algorithm">Algorithm</label><select id="algorithm" name="algorithm">{{#algorithms}}<option value="{{.}}">{{.}}</option>{{/algorithms}}</select></div>
    <div><label for="task">Task</label><select id="task" name="task"><option>auto</option><option>classification</option><option>regression</option></select></div>
    <div><label for="test_fraction">Test fraction</label><input id="test_fraction" name="test_fraction" value="0.2"></div>
    <div><label for="seed">Seed</label><input id="seed" name="seed" value="42"></div>
    <div><label for="mname">Model name (optional)</label><input id="mname" name="name"></div>
    </div>
    <button type="submit">Train</button>
    </form>
    </section>
    <section><form method="post" action="/datasets/{{id}}/delete"><button class="danger" type="submit">Delete dataset</button></form></section>
    """

    static let model = """
    <h1>{{name}} <span class="muted">({{id}})</span></h1>
    <section>
    <p><span class="badge">{{status}}</span> {{algorithm}} · {{task}} · target <strong>{{target}}</strong> · dataset <a href="/datasets/{{dataset}}">{{dataset}}</a>
    {{#trainRows}} · {{trainRows}} training rows, {{testRows}} test rows · trained in {{seconds}} s{{/trainRows}}</p>
    {{#error}}<p class="error">{{error}}</p>{{/error}}
    {{#training}}<p class="muted">Training in the background… <a href="/models/{{id}}">refresh</a></p>{{/training}}
    {{#hasMetrics}}<table><tr><th>Metric (held-out test split)</th><th class="num">Value</th></tr>{{#metrics}}<tr><td>{{name}}</td><td class="num">{{value}}</td></tr>{{/metrics}}</table>{{/hasMetrics}}
    </section>
    {{#hasPerClass}}
    <section><h2>Per class</h2>
    <table><tr><th>Class</th><th class="num">Precision</th><th class="num">Recall</th><th class="num">F1</th><th class="num">Support</th></tr>
    {{#perClass}}<tr><td>{{label}}</td><td class="num">{{precision}}</td><td class="num">{{recall}}</td><td class="num">{{f1}}</td><td class="num">{{support}}</td></tr>{{/perClass}}
    </table>
    <h2 style="margin-top:1rem">Confusion matrix <span class="muted">(rows: true, columns: predicted)</span></h2>
    <table class="cm"><tr><th></th>{{#labels}}<th>{{.}}</th>{{/labels}}</tr>
    {{#matrix}}<tr><th>{{label}}</th>{{#cells}}<td{{#hit}} class="hit"{{/hit}}>{{count}}</td>{{/cells}}</tr>{{/matrix}}
    </table></section>
    {{/hasPerClass}}
    {{#ready}}
    <section><h2>Predict</h2>
    {{#result}}<div class="section ok" style="padding:.6rem;border:1px solid #9ae6b4;border-radius:6px;margin-bottom:.8rem">
    Prediction: <strong>{{prediction}}</strong>{{#hasProbabilities}}<table>{{#probabilities}}<tr><td>{{label}}</td><td class="num">{{value}}</td></tr>{{/probabilities}}</table>{{/hasProbabilities}}</div>{{/result}}
    <form method="post" action="/models/{{id}}/predict"><div class="grid">
    {{#features}}<div><label for="f{{index}}">{{name}} <span class="muted">({{type}})</span></label>
    {{#hasChoices}}<select id="f{{index}}" name="{{name}}"><option value="">(missing)</option>{{#choices}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/choices}}</select>{{/hasChoices}}
    {{^choices}}<input id="f{{index}}" name="{{name}}" value="{{value}}" placeholder="{{placeholder}}">{{/choices}}</div>{{/features}}
    </div><button type="submit">Predict</button></form>
    <p class="muted">API: <code>curl -X POST -H 'Content-Type: application/json' -d '{"column": value, …}' /api/models/{{id}}/predict</code></p>
    </section>
    {{/ready}}
    {{> model-monitoring}}
    <section><form method="post" action="/models/{{id}}/delete"><button class="danger" type="submit">Delete model</button></form></section>
    """

    static let error = """
    <h1>{{status}}</h1><section class="error"><strong>{{code}}</strong>: {{message}}</section><p><a href="/">Back to the start page</a></p>
    """
}
