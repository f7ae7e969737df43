#!/bin/sh
# An authenticated wapiti scan of a Shelter Monitor already running on 127.0.0.1, bounded in time.
#
#   bench/wapiti_scan.sh BASE_URL COOKIE OUTPUT_DIR [CRAWL_SECONDS] [ATTACK_SECONDS]
#
# BASE_URL       http://127.0.0.1[:PORT] (anything else is refused)
# COOKIE         the logged-in session as a browser sends it ("session=..."; print one with
#                python -m bench.fuzz_sweep --base BASE_URL --logins instance/demo-logins.txt --print-cookie ROLE)
# OUTPUT_DIR     receives report.json and wapiti.log; a summary of the findings is printed
# CRAWL_SECONDS  300 by default: wapiti's --max-scan-time bounds the crawl only
# ATTACK_SECONDS 60 by default, per attack module (--max-attack-time); a hard stop follows the sum of both bounds
#
# API_TOKEN      optional: a token sent as "Authorization: Bearer" too, so that /api/v1 and /api/hsds/ answer as its
#                user (the pages ignore it; the API then ignores the cookie)
# API_SPEC       optional: the OpenAPI document (a file: GET /api/v1/openapi.json with the token), whose operations
#                are attacked besides the crawled pages
#
# WAPITI names the wapiti executable (pip install wapiti3 into a separate virtualenv). Logout is excluded so the
# session survives; the modules that call out to wapiti's external endpoints (ssrf, log4shell's DNS) or test TLS
# (ssl) are left out and bug reports are off, so nothing leaves the machine. Use a throw-away database: wapiti
# submits every form it finds.
set -eu

if [ $# -lt 3 ]; then
    sed -n '3,16p' "$0" >&2
    exit 2
fi
base=${1%/}
cookie=$2
out=$3
crawl=${4:-300}
attack=${5:-60}
wapiti=${WAPITI:-wapiti}
modules="common,-ssrf,-ssl,-log4shell"

if ! printf '%s' "$base" | grep -Eqx 'http://127\.0\.0\.1(:[0-9]+)?'; then
    echo "refusing to scan anything but http://127.0.0.1[:PORT]: $base" >&2
    exit 2
fi

mkdir -p "$out"
set --
if [ -n "${API_TOKEN:-}" ]; then
    set -- "$@" --header "Authorization: Bearer $API_TOKEN"
fi
if [ -n "${API_SPEC:-}" ]; then
    set -- "$@" --swagger "$API_SPEC"
fi
# the modules in "common" minus three
timeout --kill-after=30 $((crawl + 8 * attack + 300)) "$wapiti" --url "$base/" --scope folder \
    --cookie-value "$cookie" --exclude "$base/logout" --exclude "$base/*logout*" \
    --module "$modules" --external-endpoint "$base/" --internal-endpoint "$base/" \
    --max-scan-time "$crawl" --max-attack-time "$attack" --flush-session --no-bugreport \
    --store-session "$out/session" --verbose 1 --log "$out/wapiti.log" \
    --format json --output "$out/report.json" "$@" >"$out/wapiti.out" 2>&1 || echo "wapiti ended with status $?" >&2

python3 - "$out/report.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
for kind in ("vulnerabilities", "anomalies", "additionals"):
    for name, hits in report.get(kind, {}).items():
        if hits:
            print(f"{kind}: {name}: {len(hits)}")
            for hit in hits[:5]:
                print(f"    {hit.get('method')} {hit.get('path')} [{hit.get('parameter')}] {hit.get('info', '')[:100]}")
EOF
