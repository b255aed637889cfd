#!/usr/bin/env bash
# Runs the browser tests against the real app in the single topology: starts the built AppHost with
# `--topology single` on a throwaway SQLite file and state folder, waits until the Api answers /health and serves
# the SPA, runs the e2e suite, then stops the AppHost with SIGTERM and checks that none of its processes is left.
#
# Needs: the solution built (dotnet build LearnApp.sln), the SPA built (npm run build), /usr/bin/chromium.
# Usage: Frontend/e2e/run-single.sh [extra vitest arguments, e.g. --reporter=json --outputFile.json=report.json]
# Knobs: E2E_APPHOST_DLL (default AppHost/bin/Debug/net10.0/LearnApp.AppHost.dll), E2E_START_TIMEOUT (s, default 180),
#        E2E_SUITE_TIMEOUT (s, default 600). Exit code: the suite's, or non-zero when the app could not be started or
#        left a process behind.
set -uo pipefail
frontend=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$frontend/.." && pwd)
apphost_dll=${E2E_APPHOST_DLL:-$repo/AppHost/bin/Debug/net10.0/LearnApp.AppHost.dll}
start_timeout=${E2E_START_TIMEOUT:-180}
suite_timeout=${E2E_SUITE_TIMEOUT:-600}

log() { printf 'e2e: %s\n' "$*"; }

for needed in "$apphost_dll" "$frontend/dist/index.html" "${CHROMIUM_PATH:-/usr/bin/chromium}"; do
  if [ ! -e "$needed" ]; then
    log "$needed does not exist: build the solution and the SPA and install chromium first"
    exit 2
  fi
done

state=$(mktemp -d "${TMPDIR:-/tmp}/learnapp-e2e.XXXXXX")
apphost_log="$state/apphost.log"
apphost_pid=
api_pid=

stop_apphost() {
  local rc=$? leftover=0
  if [ -n "$apphost_pid" ] && kill -0 "$apphost_pid" 2>/dev/null; then
    log "stopping the AppHost (SIGTERM)"
    kill -TERM "$apphost_pid" 2>/dev/null
    # The AppHost stops its resources within its own stop timeout (5 s); give it a little more, then insist.
    for _ in $(seq 1 60); do kill -0 "$apphost_pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$apphost_pid" 2>/dev/null; then
      log "the AppHost ignored SIGTERM for 15 s: killing its process group"
      kill -KILL -- "-$apphost_pid" 2>/dev/null
      leftover=1
    fi
    wait "$apphost_pid" 2>/dev/null
  fi
  # Children die with the AppHost (PDEATHSIG); anything still in its process group outlived it.
  if [ -n "$apphost_pid" ] && pgrep -g "$apphost_pid" >/dev/null 2>&1; then
    log "processes left running after the AppHost stopped: $(pgrep -g "$apphost_pid" -a | tr '\n' ';')"
    kill -KILL -- "-$apphost_pid" 2>/dev/null
    leftover=1
  fi
  if [ -n "$api_pid" ] && kill -0 "$api_pid" 2>/dev/null; then
    log "the Api (pid $api_pid) outlived the AppHost"
    kill -KILL "$api_pid" 2>/dev/null
    leftover=1
  fi
  [ "$leftover" -eq 0 ] && [ -n "$apphost_pid" ] && log "the AppHost and the Api are stopped"
  rm -rf "$state"
  if [ "$leftover" -ne 0 ] && [ "$rc" -eq 0 ]; then rc=1; fi
  exit "$rc"
}
trap stop_apphost EXIT
trap 'exit 130' INT TERM

log "starting the AppHost (single topology, state in $state)"
# Its own process group (setsid), so the clean-up above can tell what it left behind. The Api inherits
# ConnectionStrings__sqlite, so every run starts from a fresh database. The dev dashboard and its OTLP receiver take
# free ports (another run may hold the defaults) and a token made for this run; the dashboard tests use both.
dashboard_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
ConnectionStrings__sqlite="Data Source=$state/learnapp.db" DOTNET_ENVIRONMENT=Development Dashboard__Token="$dashboard_token" \
  Dashboard__Port=0 ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:0 ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:0 \
  setsid dotnet "$apphost_dll" --topology single --AppHost:BuildProjects=false "--AppHost:LocalStateDirectory=$state/apphost" \
  >"$apphost_log" 2>&1 &
apphost_pid=$!

# Ready means: the AppHost reports the Api healthy (its line names the pid and URL), /health answers Healthy, the
# Api serves the SPA's index page and the AppHost printed the dashboard's link. Polled until the deadline; a dead
# AppHost ends the wait at once.
deadline=$((SECONDS + start_timeout))
api_url=
dashboard_url=
while :; do
  if ! kill -0 "$apphost_pid" 2>/dev/null; then
    log "the AppHost exited before the app was ready; its output:"
    sed 's/^/    /' "$apphost_log"
    exit 3
  fi
  if [ -z "$api_url" ]; then
    line=$(grep -Eo 'api-[A-Za-z0-9]+ +Running Healthy +pid [0-9]+ +http://127\.0\.0\.1:[0-9]+' "$apphost_log" | head -n 1)
    if [ -n "$line" ]; then
      api_pid=$(sed -E 's/.* pid ([0-9]+) .*/\1/' <<<"$line")
      api_url=$(grep -Eo 'http://[^ ]+' <<<"$line")
    fi
  fi
  [ -z "$dashboard_url" ] && dashboard_url=$(grep -Eo '^dashboard: http://127\.0\.0\.1:[0-9]+' "$apphost_log" | head -n 1 | sed 's/^dashboard: //')
  if [ -n "$api_url" ] && [ -n "$dashboard_url" ] \
    && [ "$(curl -s --max-time 5 "$api_url/health")" = Healthy ] \
    && curl -s --max-time 5 "$api_url/" | grep -q '<div id="root">'; then
    break
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "the app was not ready within ${start_timeout} s; the AppHost's output:"
    sed 's/^/    /' "$apphost_log"
    exit 3
  fi
  sleep 0.5
done
log "the app is ready at $api_url (Api pid $api_pid), its dashboard at $dashboard_url"

cd "$frontend"
E2E_BASE_URL=$api_url E2E_DASHBOARD_URL=$dashboard_url E2E_DASHBOARD_TOKEN=$dashboard_token timeout --kill-after=15 "$suite_timeout" \
  ./node_modules/.bin/vitest run --config e2e/vitest.config.ts "$@"
suite_rc=$?
[ "$suite_rc" -eq 124 ] && log "the suite did not finish within ${suite_timeout} s"
exit "$suite_rc"
