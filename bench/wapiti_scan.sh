#!/bin/sh
# An authenticated wapiti scan of a Shelter Monitor already running on 127.0.0.1, bounded in time.
#
#   bench/wapiti_scan.sh BASE_URL COOKIE OUTPUT_DIR [SECONDS]
#
# BASE_URL   http://127.0.0.1:PORT (anything else is refused)
# COOKIE     the logged-in session, "session=..." as a browser sends it (get one with
#            python -m bench.fuzz_sweep --print-cookie ROLE, see below)
# OUTPUT_DIR receives report.json and wapiti.log; a summary of the findings is printed
# SECONDS    scan time, 600 by default; a hard stop follows two minutes later
#
# WAPITI names the wapiti executable (pip install wapiti3 in a separate virtualenv). Logout is excluded so the
# session survives the crawl; the modules that call out to wapiti's external endpoints (ssrf) or to TLS (ssl)
# are left out and bug reports are off, so nothing leaves the machine. Use a throw-away database: wapiti
# submits every form it finds.
set -eu

if [ $# -lt 3 ]; then
    sed -n '3,9p' "$0" >&2
    exit 2
fi
base=${1%/}
cookie=$2
out=$3
seconds=${4:-600}
wapiti=${WAPITI:-wapiti}

if ! printf '%s' "$base" | grep -Eqx 'http://127\.0\.0\.1(:[0-9]+)?'; then
    echo "refusing to scan anything but http://127.0.0.1[:PORT]: $base" >&2
    exit 2
fi

mkdir -p "$out"
timeout --kill-after=30 $((seconds + 120)) "$wapiti" --url "$base/" --scope folder \
    --cookie-value "$cookie" --exclude "$base/logout" --exclude "$base/*logout*" \
    --module "common,-ssrf,-ssl" --external-endpoint "$base/" --internal-endpoint "$base/" \
    --max-scan-time "$seconds" --flush-session --no-bugreport --store-session "$out/session" \
    --verbose 1 --log "$out/wapiti.log" --format json --output "$out/report.json" || true

python3 - "$out/report.json" <<'EOF_PY'
import json, sys
report = json.load(open(sys.argv[1]))
for kind in ("vulnerabilities", "anomalies", "additionals"):
    for name, hits in report.get(kind, {}).items():
        if hits:
            print(f"{kind}: {name}: {len(hits)}")
            for hit in hits[:5]:
                print(f"    {hit.get('method')} {hit.get('path')} [{hit.get('parameter')}] {hit.get('info', '')[:100]}")
EOF_PY
