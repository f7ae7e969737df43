"""An attacker's fuzz sweep of a running Shelter Monitor, from outside, as every demo role: counts the 5xx answers.

Logs in as each role of the demo logins file (one login per role), crawls the links from the start page to find
the site's GET URLs with real ids, and collects every <form> it meets (action, method, fields, CSRF token). Then,
one at a time, it replaces each query parameter and each form field by a hostile payload (NUL and other control
characters, NaN, inf, overlong numbers, whitespace, a 100 kB string, RTL marks and emoji, markup), puts overlong
ids into numeric path segments, and probes `next` for open redirects (after a real login, and on the language
switch). Every answer >= 500 and every redirect off the site is recorded.

Safety: it talks to 127.0.0.1 only, stops after --max-requests or --seconds, never submits /logout, never sends a
wrong password for a demo account (login fields are fuzzed with an unknown email) and never fills or fuzzes a
password field of a logged-in user, so the accounts stay usable. The target's data does change: use a
throw-away database.

5xx answers are grouped by route: `METHOD endpoint` when --routes names the output of `flask routes`, else the path
with numeric segments as <int>, region codes as <iso> and long tokens as <token>. The probes are ordered so that
every (route, field) gets every payload before another role repeats it, so a low --max-requests still covers
every route with the first payloads.

With --tokens (a "role token" line per role, read-write tokens from `flask tokens create --write`), the API is
swept too: /api/v1 from its OpenAPI document and /api/hsds/ as each token and with none, hostile Authorization
headers and tokens in the query string (bench/fuzz_api.py). A file field of an upload form gets hostile files
(empty, not a zip, huge sheet names, wrong columns, CSV with control characters) instead of text payloads. With
--server-log, the tracebacks the server logged during the sweep are counted.

Run: python -m bench.fuzz_sweep --base http://127.0.0.1:8101 --logins instance/demo-logins.txt \
         [--tokens tokens.txt] [--server-log gunicorn.log] \
         [--routes routes.txt] [--max-requests 8000] [--seconds 900] [--out sweep.json]
     python -m bench.fuzz_sweep --base ... --logins ... --print-cookie admin   # a session for bench/wapiti_scan.sh
"""

import argparse
import http.client
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench import fuzz_api

PAYLOADS = [
    ("nul", "a\x00b"),
    ("overlong-int", "99999999999999999999"),
    ("int32+1", "2147483648"),
    ("nan", "NaN"),
    ("whitespace", "   "),
    ("crlf", "\r\n"),
    ("ctrl-01", "\x01"),
    ("esc", "\x1b"),
    ("inf", "inf"),
    ("minus-one", "-1"),
    ("pct00", "%00"),
    ("markup", "'\"<script>"),
    ("rtl", "\u202eevil\u202c\u200f"),
    ("emoji", "\U0001f600\U0001f3f3\ufe0f\u200d\U0001f308"),
    ("100kB", "x" * 100_000),
]
OVERLONG_IDS = [("int32+1", "2147483648"), ("overlong-int", "99999999999999999999")]
REDIRECTS = [
    ("//evil", "//evil.example/"),
    ("/\\evil", "/\\evil.example/"),
    ("/%09/evil", "/\t/evil.example"),
    ("/%0d/x", "/\r/x"),
    ("/%0a/x", "/\n/x"),
    ("https://evil", "https://evil.example/"),
    ("http:evil", "http:evil.example"),
    ("\\\\evil", "\\\\evil.example"),
    ("/%2f/evil", "/%2f/evil.example"),
    ("space//evil", " //evil.example"),
    ("javascript", "javascript:alert(1)"),
]
EXCLUDE = re.compile(r"logout|sign-?out|/static/|\.(css|js|svg|png|ico)$", re.I)
START_FORM = re.compile(r"/shelters/\d+/rounds/\d+/response$")
CONVERTERS = {"int": r"\d+", "path": r".+"}
TEXT_KINDS = {"text", "search", "textarea", "tel", "url", "hidden"}
UNKNOWN_EMAIL = "nobody@fuzz-sweep.invalid"
FAKE_PASSWORD = "not-the-password-42"


class BudgetSpent(Exception):
    """The request or time bound is reached."""


@dataclass
class Reply:
    status: int
    location: str = ""
    html: str = ""
    body: str = ""


@dataclass
class Field:
    name: str
    value: str
    kind: str
    sent: bool = True


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)

    @property
    def files(self) -> tuple[str, ...] | None:
        """None for an urlencoded form, else the names of its file inputs."""
        return tuple(f.name for f in self.fields if f.kind == "file") if self.multipart else None


@dataclass(frozen=True)
class Probe:
    """One fuzzed request: `target` (a field, a query parameter or <path:i>) carries the payload named `payload`."""

    role: str
    method: str
    url: str
    pairs: tuple
    files: tuple[str, ...] | None
    target: str
    payload: str
    json_body: str | bytes | None = None
    headers: tuple = ()


@dataclass
class Budget:
    """Shared bounds and everything the sweep records."""

    base: str
    max_requests: int
    seconds: float
    started: float = field(default_factory=time.monotonic)
    routes: list = field(default_factory=list)
    sent: int = 0
    planned: int = 0
    distinct: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    redirects: list = field(default_factory=list)
    tracebacks: int | None = None


class PageParser(HTMLParser):
    """Links and forms of one HTML page, with the values a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._radios: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                a.get("action", ""), (a.get("method") or "get").upper(), "multipart" in a.get("enctype", "")
            )
            self.forms.append(self._form)
            self._radios = set()
        elif self._form is not None and a.get("name") and tag in ("input", "textarea", "select", "button"):
            self._field(tag, a)
        elif tag == "option" and self._select is not None:
            self._option(a)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def _field(self, tag, a):
        kind = a.get("type", "submit" if tag == "button" else "text").lower() if tag in ("input", "button") else tag
        name, checked = a["name"], "checked" in a
        if tag == "textarea":
            self._textarea = self._add(Field(name, "", "textarea"))
        elif tag == "select":
            self._select = self._add(Field(name, "", "select", sent=False))
        elif kind in ("submit", "image"):
            if not any(f.kind == "submit" for f in self._form.fields):  # a browser sends the clicked one only
                self._add(Field(name, a.get("value", ""), "submit"))
        elif kind == "radio":
            first = name not in self._radios
            self._radios.add(name)
            self._set_radio(name, a.get("value", "on"), checked, first)
        elif kind == "checkbox":
            self._add(Field(name, a.get("value", "on"), kind, sent=checked))
        elif kind not in ("reset", "button"):
            self._add(Field(name, a.get("value", ""), kind))

    def _add(self, f: Field) -> Field:
        self._form.fields.append(f)
        return f

    def _set_radio(self, name, value, checked, first):
        if first:
            self._add(Field(name, value, "radio"))
        elif checked:
            next(f for f in self._form.fields if f.name == name).value = value

    def _option(self, a):
        if not self._select.sent or "selected" in a:
            self._select.value, self._select.sent = a.get("value", ""), True


class Session:
    """One role's cookies and CSRF token; every request goes through the shared budget."""

    def __init__(self, role: str, budget: Budget, credentials: tuple[str, str] | None = None, headers=None):
        self.role, self.budget, self.credentials, self.csrf = role, budget, credentials, ""
        self.headers = dict(headers or {})
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def send(self, method: str, url: str, pairs=(), files=None, probe: tuple = ("-", "crawl"), json_body=None,
             headers=()) -> Reply:
        """One request, never followed; a 5xx or an off-site redirect is recorded under `probe` (target, payload).
        `files`: None for an urlencoded body, else multipart with these fields sent as files; `json_body` (text or
        bytes) is sent as application/json instead; `headers` replace the session's."""
        budget = self.budget
        remaining = budget.started + budget.seconds - time.monotonic()
        if budget.sent >= budget.max_requests or remaining <= 0:
            raise BudgetSpent
        check_local(url, budget.base)
        pairs = [(k, self.csrf if k == "csrf_token" and self.csrf else v) for k, v in pairs]
        if method == "GET" and pairs:
            url, pairs = set_query(url, pairs), []
        request = build_request(method, url, pairs, files, json_body)
        for name, value in {**self.headers, **dict(headers)}.items():
            request.add_header(name, value)
        budget.sent += 1
        reply = self._open(request, min(120.0, max(remaining, 1.0)))
        budget.statuses[reply.status] += 1
        record(self, method, url, probe, reply)
        return reply

    def _open(self, request, timeout) -> Reply:
        try:
            response = self.opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError):
            return Reply(0)
        with response:
            body = response.read()
            kind = response.headers.get("Content-Type") or ""
            html = body.decode("utf-8", "replace") if "html" in kind else ""
            text = body.decode("utf-8", "replace") if "json" in kind else ""
            return Reply(response.status, response.headers.get("Location") or "", html, text)

    def page(self, url: str) -> Reply:
        """GET a page and keep its CSRF token for the forms sent later."""
        reply = self.send("GET", url)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', reply.html)
        if token:
            self.csrf = token.group(1)
        return reply


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_local(url: str, base: str) -> None:
    """Refuse anything but the 127.0.0.1 base the sweep was started with."""
    parts, home = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    if parts.scheme != "http" or parts.hostname != "127.0.0.1" or parts.netloc != home.netloc:
        raise SystemExit(f"refusing to send a request off 127.0.0.1: {url[:200]}")


def build_request(method: str, url: str, pairs, files: tuple[str, ...] | None,
                  json_body: str | bytes | None = None) -> urllib.request.Request:
    if method == "GET":
        return urllib.request.Request(url, method="GET")
    if json_body is not None:
        body = json_body.encode() if isinstance(json_body, str) else json_body
        return urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    if files is not None:
        boundary = uuid.uuid4().hex
        body = encode_multipart(pairs, files, boundary)
        content_type = f"multipart/form-data; boundary={boundary}"
    else:
        body, content_type = urllib.parse.urlencode(pairs).encode(), "application/x-www-form-urlencoded"
    return urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})


def encode_multipart(pairs, files: tuple[str, ...], boundary: str) -> bytes:
    chunks = []
    for name, value in pairs:
        filename, content = value if isinstance(value, tuple) else ("fuzz.csv", value)  # a file payload: a pair
        filename = f'; filename="{filename}"' if name in files else ""
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"{filename}\r\n\r\n'
        data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        chunks.append(head.encode("utf-8", "surrogatepass") + data + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--\r\n".encode()


def set_query(url: str, pairs) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(pairs)))


def route_pattern(url: str) -> str:
    """The path with ids generalised, so that /shelters/3 and /shelters/7 count as one route."""
    segments = []
    for segment in urllib.parse.urlsplit(url).path.split("/"):
        if re.fullmatch(r"-?\d+", segment):
            segment = "<int>"
        elif re.fullmatch(r"[A-Z]{2}-\d+", segment):
            segment = "<iso>"
        elif re.fullmatch(r"[0-9a-fA-F-]{16,}", segment):
            segment = "<token>"
        segments.append(segment)
    return "/".join(segments) or "/"


def is_offsite(location: str, base: str) -> bool:
    """A Location a browser would follow away from the site (backslashes count as slashes)."""
    cleaned = re.sub(r"[\x00-\x20]", "", location).replace("\\", "/")
    target = urllib.parse.urlsplit(urllib.parse.urljoin(base + "/", cleaned))
    return cleaned.startswith("//") or target.netloc != urllib.parse.urlsplit(base).netloc


def read_routes(path: Path) -> list[tuple[str, set[str], re.Pattern]]:
    """The URL map from `flask routes` output: endpoint, methods and a regex of the rule, static rules first."""
    routes = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[-1].startswith("/"):
            pieces = re.split(r"<([^>]+)>", parts[-1])
            regex = "".join(
                re.escape(p) if i % 2 == 0 else CONVERTERS.get(p.split(":")[0], "[^/]+") for i, p in enumerate(pieces)
            )
            routes.append((parts[0], set("".join(parts[1:-1]).split(",")), re.compile(regex)))
    return sorted(routes, key=lambda route: route[2].pattern.count("+"))


def route_of(budget: Budget, method: str, url: str) -> str:
    """`METHOD endpoint` when the URL map is known (unmatched: 404), `METHOD /path/<int>` otherwise."""
    path = urllib.parse.urlsplit(url).path
    if not budget.routes:
        return f"{method} {route_pattern(url)}"
    for endpoint, methods, regex in budget.routes:
        if regex.fullmatch(path) and method in methods:
            return f"{method} {endpoint}"
    return f"{method} <no route> {route_pattern(url)}"


def record(session: Session, method: str, url: str, probe: tuple, reply: Reply) -> None:
    target, payload = probe
    entry = {
        "role": session.role,
        "method": method,
        "url": url[:400],
        "route": route_of(session.budget, method, url),
        "field": target,
        "payload": payload,
        "status": reply.status,
    }
    if reply.status >= 500:
        session.budget.failures.append(entry)
    if 300 <= reply.status < 400 and is_offsite(reply.location, session.budget.base):
        session.budget.redirects.append({**entry, "location": reply.location[:400]})


def read_logins(path: Path) -> dict[str, tuple[str, str]]:
    """The first login of each role in the demo logins file ("role  email  password" lines)."""
    logins = {}
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"\s*(\w+)\s+(\S+@\S+)\s+(\S+)\s*", line)
        if match and match.group(1) not in logins:
            logins[match.group(1)] = (match.group(2), match.group(3))
    return logins


def log_in(session: Session, next_value: str | None = None, probe=("-", "login")) -> bool:
    """The login form as a browser fills it; True when the answer redirects somewhere else than /login."""
    url = session.budget.base + "/login" + ("?" + urllib.parse.urlencode({"next": next_value}) if next_value else "")
    session.page(url)
    email, password = session.credentials
    reply = session.send("POST", url, [("csrf_token", ""), ("email", email), ("password", password)], probe=probe)
    return 300 <= reply.status < 400 and not urllib.parse.urlsplit(reply.location).path.startswith("/login")


def crawl(session: Session, max_pages: int, per_pattern: int) -> tuple[list[str], list[tuple[str, Form]]]:
    """Breadth-first over the site's links from the start page: the GET URLs visited and the forms met. The first
    "start a response" form is submitted, so that a monitor reaches the questionnaire's sections."""
    base = session.budget.base
    queue, seen, visits = [base + "/"], set(), Counter()
    pages, forms = [], []
    while queue and len(pages) < max_pages:
        url = queue.pop(0)
        key = (route_pattern(url), tuple(sorted(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query))))
        if url in seen or visits[key] >= per_pattern:
            continue
        seen.add(url)
        visits[key] += 1
        reply = session.page(url)
        queue.extend(redirect_target(url, reply, base))
        if reply.status != 200:
            continue
        pages.append(url)
        parser = PageParser()
        parser.feed(reply.html)
        queue.extend(on_site_links(url, parser.links, base))
        found = [(urllib.parse.urldefrag(urllib.parse.urljoin(url, f.action)).url, f) for f in parser.forms]
        if not any(START_FORM.search(action) for action, _ in forms):
            queue[:0] = start_response(session, found)
        forms.extend(found)
    return pages, forms


def start_response(session: Session, forms: list[tuple[str, Form]]) -> list[str]:
    for action, form in forms:
        if START_FORM.search(action):
            return redirect_target(action, session.send("POST", action, baseline(form, False)), session.budget.base)
    return []


def redirect_target(url: str, reply: Reply, base: str) -> list[str]:
    if 300 <= reply.status < 400 and not is_offsite(reply.location, base):
        return [urllib.parse.urljoin(url, reply.location)]
    return []


def on_site_links(page: str, links: list[str], base: str) -> list[str]:
    found = []
    for href in links:
        url = urllib.parse.urldefrag(urllib.parse.urljoin(page, href)).url
        if url.startswith(base + "/") and not EXCLUDE.search(urllib.parse.urlsplit(url).path):
            found.append(url)
    return found


def baseline(form: Form, anonymous: bool) -> list[tuple[str, str]]:
    """What a user would submit: empty fields filled so that validation reaches the fuzzed one; passwords only
    on the login form, with an unknown email."""
    pairs = []
    for f in form.fields:
        value = f.value
        if f.kind == "password":
            value = FAKE_PASSWORD if anonymous else ""
        elif f.kind == "email" or (anonymous and f.name == "email"):
            value = UNKNOWN_EMAIL if anonymous or not value else value
        elif not value and f.kind == "number":
            value = "1"
        elif not value and f.kind == "date":
            value = "2020-10-01"
        elif not value and f.kind in TEXT_KINDS and f.name != "csrf_token":
            value = "fuzz"
        if f.sent:
            pairs.append((f.name, value))
    return pairs


def replace(pairs, name: str, value: str) -> tuple:
    kept = [(k, v) for k, v in pairs if k != name]
    return tuple([(name, value), *kept])


def payloads_for(name: str, is_file: bool = False) -> list[tuple[str, str]]:
    if is_file:
        return fuzz_api.file_payloads()
    return PAYLOADS + (REDIRECTS if name == "next" else [])


def query_probes(role: str, url: str) -> list[Probe]:
    pairs = urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True)
    return [
        Probe(role, "GET", url, replace(pairs, name, value), None, name, label)
        for name in dict(pairs)
        for label, value in payloads_for(name)
    ]


def form_probes(role: str, url: str, form: Form) -> list[Probe]:
    pairs = baseline(form, anonymous=role == "anonymous")
    names = [f.name for f in form.fields if f.name != "csrf_token" and (f.kind != "password" or role == "anonymous")]
    files = set(form.files or ())
    return [
        Probe(role, form.method, url, replace(pairs, name, value), form.files, name, label)
        for name in dict.fromkeys(names)
        for label, value in payloads_for(name, name in files)
    ]


def path_probes(role: str, method: str, url: str, pairs=(), files=None) -> list[Probe]:
    """Overlong ids in each numeric path segment, the rest of the request unchanged."""
    parts = urllib.parse.urlsplit(url)
    segments = parts.path.split("/")
    probes = []
    for i, segment in enumerate(segments):
        if segment.isdigit():
            for label, value in OVERLONG_IDS:
                path = "/".join([*segments[:i], value, *segments[i + 1 :]])
                probe_url = urllib.parse.urlunsplit(parts._replace(path=path))
                probes.append(Probe(role, method, probe_url, tuple(pairs), files, f"<path:{i}>", label))
    return probes


def plan(role: str, pages: list[str], forms: list[tuple[str, Form]]) -> list[Probe]:
    probes = []
    for url in pages:
        probes += query_probes(role, url) + path_probes(role, "GET", url)
    for url, form in forms:
        if EXCLUDE.search(urllib.parse.urlsplit(url).path):
            continue
        probes += form_probes(role, url, form)
        if form.method == "POST":
            probes += path_probes(role, "POST", url, baseline(form, role == "anonymous"), form.files)
    return probes


def order(probes: list[Probe]) -> list[Probe]:
    """Every (method, pattern, field, payload) once before any repeat, payload by payload in the order of
    PAYLOADS."""
    rank = {label: i for i, (label, _) in enumerate(PAYLOADS + REDIRECTS)}
    seen, keyed = Counter(), []
    for probe in probes:
        key = (probe.method, route_pattern(probe.url), probe.target, probe.payload)
        keyed.append(((seen[key], rank.get(probe.payload, 0)), probe))
        seen[key] += 1
    return [probe for _, probe in sorted(keyed, key=lambda item: item[0])]


def redirect_probes(session: Session) -> None:
    """POST /login?next=... with real credentials: the redirect after login must stay on the site."""
    for label, value in REDIRECTS + [("crlf", "/\r\nX-Fuzz: 1"), ("nul", "/a\x00b")]:
        fresh = Session(session.role, session.budget, session.credentials)
        log_in(fresh, value, probe=("next", label))


def run_probes(sessions: dict[str, Session], probes: list[Probe]) -> None:
    for probe in probes:
        session = sessions[probe.role]
        url = probe.url if probe.url.startswith("http") else session.budget.base + probe.url
        reply = session.send(probe.method, url, probe.pairs, probe.files, (probe.target, probe.payload),
                             probe.json_body, probe.headers)
        if session.credentials and 300 <= reply.status < 400 and "/login" in reply.location:
            log_in(session)


def summary(budget: Budget) -> dict:
    pairs = sorted({(f["route"], f["field"]) for f in budget.failures})
    return {
        "base": budget.base,
        "seconds": round(time.monotonic() - budget.started),
        "requests": budget.sent,
        "probes_planned": budget.planned,
        "probes_distinct": budget.distinct,
        "statuses": dict(sorted(budget.statuses.items())),
        "5xx": len(budget.failures),
        "tracebacks": budget.tracebacks,
        "failing_pairs": [{"route": route, "field": name} for route, name in pairs],
        "open_redirects": budget.redirects,
        "failures": budget.failures,
    }


def print_summary(result: dict) -> None:
    print(f"requests sent: {result['requests']} in {result['seconds']} s")
    print(f"probes planned: {result['probes_planned']}, distinct (route, field, payload): {result['probes_distinct']}")
    print("statuses:", ", ".join(f"{status}: {n}" for status, n in result["statuses"].items()))
    print(f"5xx answers: {result['5xx']}")
    if result["tracebacks"] is not None:
        print(f"tracebacks in the server log: {result['tracebacks']}")
    print(f"unique (route, field) pairs with 5xx: {len(result['failing_pairs'])}")
    for pair in result["failing_pairs"]:
        print(f"  {pair['route']}  [{pair['field']}]")
    print(f"open redirects: {len(result['open_redirects'])}")
    for hit in result["open_redirects"]:
        print(f"  {hit['method']} {hit['url'][:120]} -> {hit['location'][:80]!r}")


def sweep(budget: Budget, logins: dict[str, tuple[str, str]], args: argparse.Namespace) -> None:
    """Log in as every role, crawl, probe `next` after login, then the fuzzed requests; stops when the budget is
    spent."""
    sessions = {"anonymous": Session("anonymous", budget)}
    sessions.update({role: Session(role, budget, credentials) for role, credentials in logins.items()})
    probes = []
    try:
        for role, session in sessions.items():
            if session.credentials and not log_in(session):
                print(f"login failed for {role}; skipping it", file=sys.stderr)
                continue
            probes += plan(role, *crawl(session, args.max_pages, args.per_pattern))
        if args.tokens:
            probes += plan_api(budget, sessions, fuzz_api.read_tokens(args.tokens))
        budget.planned = len(probes)
        budget.distinct = len({(p.method, route_pattern(p.url), p.target, p.payload) for p in probes})
        redirect_probes(sessions.get(args.redirect_role) or sessions[next(iter(logins))])
        run_probes(sessions, order(probes))
    except BudgetSpent:
        pass


def plan_api(budget: Budget, sessions: dict[str, Session], tokens: dict[str, str]) -> list[Probe]:
    """Sessions "api:<role>" carrying each token, "api:none" without one; the API's probes of each."""
    sessions["api:none"] = Session("api:none", budget)
    sessions["api:header"] = Session("api:header", budget)
    probes = []
    spec = None
    for role, token in tokens.items():
        session = sessions[f"api:{role}"] = Session(f"api:{role}", budget, headers={
            "Authorization": f"Bearer {token}"})
        spec = spec or fuzz_api.json_of(session.send("GET", budget.base + fuzz_api.API + "/openapi.json")) or {}
        values = fuzz_api.discover(session)
        probes += fuzz_api.api_probes(session.role, spec, values, Probe, PAYLOADS, token)
        probes += fuzz_api.hsds_probes(session.role, values, Probe, PAYLOADS)
    probes += fuzz_api.hsds_probes("api:none", {}, Probe, PAYLOADS[:3])
    probes += fuzz_api.api_probes("api:none", spec or {}, {}, Probe, PAYLOADS[:3], "smt_x")
    probes += fuzz_api.auth_header_probes(Probe, next(iter(tokens.values()), "smt_x"))
    return probes


def count_tracebacks(path: Path | None, offset: int) -> int | None:
    """Tracebacks the server logged after `offset` bytes of its log."""
    if path is None or not path.exists():
        return None
    with path.open("rb") as log:
        log.seek(offset)
        return log.read().count(b"Traceback (most recent call last)")


def print_cookie(budget: Budget, credentials: tuple[str, str]) -> int:
    """A logged-in session for another tool (bench/wapiti_scan.sh)."""
    session = Session("cookie", budget, credentials)
    if not log_in(session):
        print("login failed", file=sys.stderr)
        return 1
    print("; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--logins", required=True, type=Path, help="the demo logins file")
    parser.add_argument("--max-requests", type=int, default=8000)
    parser.add_argument("--seconds", type=float, default=900)
    parser.add_argument("--max-pages", type=int, default=150, help="pages crawled per role")
    parser.add_argument("--per-pattern", type=int, default=3, help="pages crawled per route pattern and role")
    parser.add_argument("--redirect-role", default="ministry", help="the role whose login probes next=")
    parser.add_argument("--routes", type=Path, help="`flask routes` output: failures are grouped by endpoint")
    parser.add_argument("--out", type=Path, help="write the full result as JSON")
    parser.add_argument("--print-cookie", metavar="ROLE", help="only log in as ROLE and print its Cookie header")
    parser.add_argument("--tokens", type=Path, help='"role token" lines: sweep /api/v1 and /api/hsds/ with them')
    parser.add_argument("--server-log", type=Path, help="the server's log: count the tracebacks of the sweep")
    args = parser.parse_args(argv)
    base = args.base.rstrip("/")
    check_local(base + "/", base)
    budget = Budget(base, args.max_requests, args.seconds, routes=read_routes(args.routes) if args.routes else [])
    if args.print_cookie:
        return print_cookie(budget, read_logins(args.logins)[args.print_cookie])
    offset = args.server_log.stat().st_size if args.server_log and args.server_log.exists() else 0
    sweep(budget, read_logins(args.logins), args)
    budget.tracebacks = count_tracebacks(args.server_log, offset)
    result = summary(budget)
    print_summary(result)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
