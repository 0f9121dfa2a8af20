#!/usr/bin/env bash
# Bell latency benchmark (issue 5): starts the app in Release on a seeded database, signs in in Chromium, opens 20
# tracked messages through the pixel and measures the time from each pixel response to the bell's badge changing.
# usage: bench/bell-latency.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/mailtracker-bell-XXXX)
app_pid=""
cleanup() { [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build MailTracker.Web -c Release -v q -nologo >/dev/null
dotnet build bench/BellLatency -c Release -v q -nologo >/dev/null
dotnet run --project bench/Seeder -c Release -- "$work/bell.db" 40 "$work" --all-tracked
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
( cd MailTracker.Web/bin/Release/net10.0 && exec env ASPNETCORE_ENVIRONMENT=Development Database__ConnectionString="Data Source=$work/bell.db" \
    Sandbox__Enabled=false ReverseProxy__KnownProxies__0=127.0.0.1 Tracking__Verdicts__MinDeliverySeconds=0 Logging__LogLevel__Default=Warning \
    dotnet MailTracker.Web.dll --urls "http://127.0.0.1:$port" ) >/dev/null 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "The app did not start (no healthy /healthz within 60 s)."; exit 1; }
dotnet bench/BellLatency/bin/Release/net10.0/BellLatency.dll "http://127.0.0.1:$port" "$work/opens.txt"
