"""The API part of bench/fuzz_sweep.py: /api/v1 and /api/hsds/ as each role's Bearer token (and with none), and the
hostile files sent to the upload forms (XLSForm, responses and submissions imports).

With a token of each role (a "role token" file, lines as `tokens create` prints them after the role), it reads the
lists to find real ids (shelters, rounds, responses, questionnaire versions and sections, an export job), then plans:
every query parameter of every operation of /api/v1/openapi.json and of the HSDS lists with each hostile payload,
hostile text in each path segment, each property of each JSON body replaced by hostile JSON values and whole bodies
that are not the object asked for, and Authorization headers that must give 401 (too long, control characters,
another scheme, a made-up token) or a token in the query string (never accepted).
"""

import io
import json
import urllib.parse
import zipfile

API = "/api/v1"
HSDS_LISTS = ("/api/hsds/services", "/api/hsds/organizations", "/api/hsds/service_at_locations")
HSDS_ITEMS = {"/api/hsds/services": "/api/hsds/services/", "/api/hsds/organizations": "/api/hsds/organizations/",
              "/api/hsds/service_at_locations": "/api/hsds/service_at_locations/"}
HSDS_PARAMS = ("page", "per_page", "modified_after", "organization_id")
DATE_PAYLOADS = [
    ("date-month-13", "2020-13-01T00:00:00Z"),
    ("date-year-0", "0000-01-01"),
    ("date-year-1-offset", "0001-01-01T00:00:00+01:00"),
    ("date-year-9999-offset", "9999-12-31T23:59:59-23:59"),
    ("date-bad-offset", "2020-01-01T00:00:00+99:99"),
    ("date-epoch-huge", "99999999999999"),
]
PATH_PAYLOADS = [
    ("path-dotdot", ".."),
    ("path-pct-nul", "%00"),
    ("path-long", "A" * 5000),
    ("path-uuid", "00000000-0000-0000-0000-000000000000"),
    ("path-uuid-huge-id", "ffffffff-ffff-ffff-ffff-ffffffffffff"),
    ("path-unicode", "\u0456\u0457\U0001f600"),
    ("path-quote", "'\""),
]
JSON_VALUES = [
    ("json-null", None), ("json-true", True), ("json-list", [1, "a"]), ("json-object", {"a": {"b": []}}),
    ("json-neg", -1), ("json-2^63", 2**63), ("json-2^31", 2**31), ("json-float", 1.5), ("json-bigfloat", 1e308),
    ("json-string", "a\x00b\x1b\u202e"), ("json-empty", ""), ("json-100kB", "x" * 100_000),
    ("json-date-string", "2020-13-45T99:99:99"), ("json-number-string", "12"),
]
RAW_BODIES = [
    ("body-empty", b""),
    ("body-not-json", b"not json{"),
    ("body-list", b"[]"),
    ("body-string", b'"x"'),
    ("body-infinity", b'{"x": Infinity, "y": NaN}'),
    ("body-1e400", b'{"free_women": 1e400, "version": 1e400, "kind": 1e400}'),
    ("body-deep", b"[" * 50_000 + b"]" * 50_000),
    ("body-bad-utf8", b'{"note": "\xff\xfe"}'),
    ("body-dup-keys", b'{"kind": "xlsx", "kind": "pdf"}'),
    ("body-big", b'{"answers": {"' + b"k" * 1_500_000 + b'": 1}, "version": 1}'),
]
AUTH_PAYLOADS = [
    ("auth-10kB", "Bearer " + "a" * 7_000),
    ("auth-ctrl", "Bearer smt_\x01\x1b"),
    ("auth-basic", "Basic YWRtaW46YWRtaW4="),
    ("auth-bare", "Bearer"),
    ("auth-made-up", "Bearer smt_" + "A" * 43),
    ("auth-two-spaces", "Bearer  {token}x"),
    ("auth-latin1", "Bearer smt_\xe9\xff"),
]


def read_tokens(path) -> dict[str, str]:
    """The first token of each role in a "role token" file."""
    tokens = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] not in tokens:
            tokens[parts[0]] = parts[1]
    return tokens


def json_of(reply) -> object:
    try:
        return json.loads(reply.body or "null")
    except ValueError:
        return None


def items(document) -> list[dict]:
    if isinstance(document, dict):
        for key in ("items", "contents", "data", "results"):
            if isinstance(document.get(key), list):
                return document[key]
    return document if isinstance(document, list) else []


def first_id(session, path: str, key: str = "id"):
    rows = items(json_of(session.send("GET", session.budget.base + path)))
    return rows[0].get(key) if rows and isinstance(rows[0], dict) else None


def discover(session) -> dict[str, str]:
    """Real values for the operations' path parameters, as this token sees them."""
    found = {"shelter_id": first_id(session, API + "/shelters"), "round_id": first_id(session, API + "/rounds"),
             "response_id": first_id(session, API + "/responses"), "iso_code": first_id(session, API + "/regions",
                                                                                       "iso_code") or "UA-46"}
    versions = items(json_of(session.send("GET", session.budget.base + API + "/questionnaires")))
    version = (versions[0].get("code") or versions[0].get("version")) if versions else "2020.1"
    found["version"] = version
    definition = json_of(session.send("GET", session.budget.base + f"{API}/questionnaires/{version}")) or {}
    sections = definition.get("sections") or [{}] if isinstance(definition, dict) else [{}]
    found["section"] = sections[0].get("code", "A") if isinstance(sections[0], dict) else "A"
    found["codes"] = [q.get("code") for q in sections[0].get("questions", [])[:3] if isinstance(q, dict)] \
        if isinstance(sections[0], dict) else []
    if found["round_id"]:
        job = json_of(session.send("POST", session.budget.base + f"{API}/rounds/{found['round_id']}/exports",
                                   json_body=json.dumps({"kind": "csv"})))
        found["job_id"] = job.get("id") if isinstance(job, dict) else None
    return {k: v for k, v in found.items() if v not in (None, "")}


def operations(spec: dict):
    """(method, path template, query parameter names, request body schema) of every operation."""
    schemas = spec.get("components", {}).get("schemas", {})
    for path, entries in spec.get("paths", {}).items():
        for method, operation in entries.items():
            if method == "parameters":
                continue
            query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body and "$ref" in body:
                body = schemas.get(body["$ref"].rsplit("/", 1)[-1])
            yield method.upper(), path, query, body


def fill(path: str, values: dict) -> str | None:
    """The path with its {parameters} filled from `values`; None when one is unknown."""
    filled = path
    for name in [part.split("}")[0] for part in path.split("{")[1:]]:
        if name not in values:
            return None
        filled = filled.replace("{" + name + "}", urllib.parse.quote(str(values[name]), safe=""))
    return filled


def baseline_body(schema: dict | None, values: dict) -> dict:
    """A body the operation accepts, so that a replaced property is what is refused."""
    if not schema:
        return {}
    props = schema.get("properties", {})
    if "answers" in props:
        return {"version": 1, "answers": {code: "1" for code in values.get("codes", [])}, "original": {}}
    if "kind" in props:
        return {"kind": "csv", "language": "en"}
    return {name: 0 for name in schema.get("required", [])}


def api_probes(role: str, spec: dict, values: dict, probe_type, payloads, token: str) -> list:
    """Every operation's query parameters, path segments and JSON body, hostile one at a time."""
    probes = []
    for method, template, query, schema in operations(spec):
        path = fill(template, values)
        if path is None:
            continue
        for name in query:
            extra = DATE_PAYLOADS if "since" in name or "after" in name else []
            for label, value in payloads + extra:
                probes.append(probe_type(role, method, path + "?" + urllib.parse.urlencode({name: value}), (), None,
                                         name, label, json_body=json.dumps(baseline_body(schema, values)) if schema
                                         else None))
        probes += path_segment_probes(role, method, template, values, probe_type, schema)
        if schema:
            probes += body_probes(role, method, path, schema, values, probe_type)
    probes += token_in_query_probes(role, probe_type, token)
    return probes


def path_segment_probes(role, method, template, values, probe_type, schema) -> list:
    probes = []
    for name in [part.split("}")[0] for part in template.split("{")[1:]]:
        for label, value in PATH_PAYLOADS:
            path = fill(template, {**values, name: value})
            if path:
                body = json.dumps(baseline_body(schema, values)) if schema else None
                probes.append(probe_type(role, method, path, (), None, f"<{name}>", label, json_body=body))
    return probes


def body_probes(role, method, path, schema, values, probe_type) -> list:
    base = baseline_body(schema, values)
    probes = []
    for name in schema.get("properties", {}):
        for label, value in JSON_VALUES:
            probes.append(probe_type(role, method, path, (), None, name, label,
                                     json_body=json.dumps({**base, name: value})))
    for code in values.get("codes", []) if "answers" in base else []:
        for label, value in JSON_VALUES:
            body = {**base, "answers": {**base["answers"], code: value}}
            probes.append(probe_type(role, method, path, (), None, f"answers.{code}", label,
                                     json_body=json.dumps(body)))
    for label, raw in RAW_BODIES:
        probes.append(probe_type(role, method, path, (), None, "<body>", label, json_body=raw))
    return probes


def token_in_query_probes(role, probe_type, token: str) -> list:
    return [probe_type(role, "GET", f"{API}/shelters?{name}={token}", (), None, "<token-in-query>", name)
            for name in ("access_token", "token", "api_token", "bearer")]


def hsds_probes(role: str, values: dict, probe_type, payloads) -> list:
    probes = [probe_type(role, "GET", "/api/hsds/", (), None, "-", "root")]
    for path in HSDS_LISTS:
        for name in HSDS_PARAMS:
            extra = DATE_PAYLOADS if name == "modified_after" else []
            for label, value in payloads + extra:
                probes.append(probe_type(role, "GET", path + "?" + urllib.parse.urlencode({name: value}), (), None,
                                         name, label))
        for label, value in PATH_PAYLOADS:
            probes.append(probe_type(role, "GET", HSDS_ITEMS[path] + urllib.parse.quote(value, safe=""), (), None,
                                     "<id>", label))
    return probes


def auth_header_probes(probe_type, token: str) -> list:
    """Headers that must give 401 on a read and on a write, never a 5xx or another user's data."""
    probes = []
    for label, header in AUTH_PAYLOADS:
        header = header.replace("{token}", token)
        for method, path, body in (("GET", API + "/shelters", None), ("GET", "/api/hsds/services", None),
                                   ("POST", API + "/rounds/1/exports", json.dumps({"kind": "csv"}))):
            probes.append(probe_type("api:header", method, path, (), None, "Authorization", label, json_body=body,
                                     headers=(("Authorization", header),)))
    return probes


def xlsx(sheets: dict[str, list[list]], dimension: str | None = None) -> bytes:
    """A minimal XLSX written by hand (openpyxl refuses some of the hostile ones): inline strings only."""
    names = list(sheets)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
                   '.spreadsheetml.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                             f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                             for i in range(1, len(names) + 1)) + "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                   ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                             for i, n in enumerate(names, 1)) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships">' + "".join(
                       f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(names) + 1)) + "</Relationships>")
        for i, name in enumerate(names, 1):
            rows = "".join(
                f'<row r="{r}">' + "".join(f'<c r="{column(c)}{r}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
                                           for c, v in enumerate(row)) + "</row>"
                for r, row in enumerate(sheets[name], 1))
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            z.writestr(f"xl/worksheets/sheet{i}.xml",
                       '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                       f'main">{dim}<sheetData>{rows}</sheetData></worksheet>')
    return out.getvalue()


def column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def file_payloads() -> list[tuple[str, tuple[str, bytes]]]:
    """Hostile uploads: (label, (file name, content))."""
    survey = [["type", "name", "label::English (en)"], ["text", "A2", "Name"]]
    return [
        ("file-empty", ("empty.xlsx", b"")),
        ("file-not-zip", ("form.xlsx", b"this is not a zip \x00\x01\x02")),
        ("file-zip-not-xlsx", ("form.xlsx", zip_of({"hello.txt": b"hello"}))),
        ("file-xlsx-huge-sheet-name", ("form.xlsx", xlsx({"s" * 40_000: survey, "choices": [["list_name"]]}))),
        ("file-xlsx-sheet-name-ctrl", ("form.xlsx", xlsx({"survey\u202e": survey, "\U0001f600": [["x"]]}))),
        ("file-xlsx-wrong-columns", ("form.xlsx", xlsx({"survey": [["foo", "bar"], ["1", "2"]],
                                                       "choices": [["baz"]], "settings": [["x"]]}))),
        ("file-xlsx-no-sheets-of-a-form", ("form.xlsx", xlsx({"Sheet1": [["a"]]}))),
        ("file-xlsx-huge-dimension", ("form.xlsx", xlsx({"survey": survey}, dimension="A1:XFD1048576"))),
        ("file-xlsx-long-cell", ("form.xlsx", xlsx({"survey": [survey[0], ["text", "A2", "x" * 200_000]]}))),
        ("file-xlsx-bomb", ("form.xlsx", zip_of({"[Content_Types].xml": b" " * 30_000_000}))),
        ("file-csv-ctrl", ("data.csv", b"shelter_id,KEY,A2\r\n\x00\x01,\x1b[31m,\x7f\r\n1,uuid:\x00,\xe2\x80\xae\r\n")),
        ("file-csv-bad-utf8", ("data.csv", b"\xff\xfe\x00g\x00a\x00r\x00b\xc3(\r\n")),
        ("file-csv-one-huge-line", ("data.csv", b"a," * 500_000)),
        ("file-csv-wrong-columns", ("data.csv", b"foo;bar\n1;2\n")),
        ("file-csv-quote", ("data.csv", b'"unterminated,quote\n1,2\n')),
        ("file-csv-many-columns", ("data.csv", (",".join(f"c{i}" for i in range(20_000)) + "\n").encode())),
        ("file-name-traversal", ("../../etc/passwd", b"x")),
        ("file-name-ctrl", ("a\x00b\r\n.csv", b"x")),
    ]
