#!/usr/bin/env bash
# Regenerates docs/img/{swagger-ui,graphiql,redoc}-offline.png: the system (no demo data) on spare ports with a fresh
# data dir, photographed by headless Chromium that can resolve no host but 127.0.0.1 and records every request it
# makes (a net log): the script fails if the page asked anything of another host.
# Needs Chromium and a monospace font with Vietnamese letters (Debian: apt-get install chromium fonts-noto-mono);
# neither is a dependency of the project.
# Usage: docs/screenshots.sh     (ports 8100-8103; SHOTS_PORT=9100 for 9100-9103; KEEP=1 keeps the logs)
set -euo pipefail
cd "$(dirname "$0")/.."

base=${SHOTS_PORT:-8100}
work=$(mktemp -d /tmp/thidua-shots.XXXXXX)
export THIDUA_DATA_DIR=$work/data THIDUA_GATEWAY_PORT=$base THIDUA_REGISTRY_PORT=$((base + 1))
export THIDUA_SCORING_PORT=$((base + 2)) THIDUA_AWARDS_PORT=$((base + 3))

.venv/bin/thidua up --no-demo >"$work/up.log" 2>&1 &
up=$!
stop() {
    kill -INT "$up" 2>/dev/null && wait "$up" || true
    [ -n "${KEEP:-}" ] && echo "logs in $work" || rm -rf "$work"
}
trap stop EXIT
for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$base/readyz" >/dev/null && break
    kill -0 "$up" 2>/dev/null || { cat "$work/up.log"; exit 1; }
    sleep 1
done

# Every request the page made (those keyed to its site; Chromium's own update checks are not) stayed here.
check_requests() { # NETLOG
    .venv/bin/python - "$1" <<'PY'
import json, sys
from urllib.parse import urlsplit
log = json.load(open(sys.argv[1], encoding="utf-8"))
start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
urls = {e["params"]["url"] for e in log["events"] if e["type"] == start and "params" in e
        and e["params"].get("network_isolation_key", "").startswith("http://127.0.0.1 ")}
away = sorted(u for u in urls if urlsplit(u).hostname != "127.0.0.1")
print(f"  the page made {len(urls)} requests, {len(away)} off this machine", *away)
sys.exit(1 if away or not urls else 0)
PY
}

shoot() { # URL PNG
    echo "$2 ← $1"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-sync \
        --disable-background-networking --disable-component-update --disable-default-apps --disable-extensions \
        --disable-features=AutofillServerCommunication,Translate,OptimizationHints,MediaRouter \
        --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" --user-data-dir="$work/chromium-$2" \
        --log-net-log="$work/$2.netlog.json" --window-size=1440,900 --enable-logging=stderr --v=0 \
        --virtual-time-budget=15000 --screenshot="docs/img/$2" "$1" 2>"$work/$2.chromium.log"
    check_requests "$work/$2.netlog.json"
    # What the pages' Content-Security-Policy kept the browser from asking for (ReDoc's footer logo).
    grep -oE "Loading the [a-z]+ '[^']+' violates" "$work/$2.chromium.log" | sed 's/^/  blocked: /' || true
}

mkdir -p docs/img
shoot "http://127.0.0.1:$((base + 1))/docs" swagger-ui-offline.png
shoot "http://127.0.0.1:$base/graphql" graphiql-offline.png
shoot "http://127.0.0.1:$((base + 2))/redoc" redoc-offline.png
ls -l docs/img/*-offline.png
