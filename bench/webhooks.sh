#!/usr/bin/env bash
# Webhook delivery benchmark (issue 16): starts the app in Release on a seeded database with one webhook endpoint,
# opens N tracked messages through the pixel and measures, at a real receiver on loopback, the time from each pixel
# answer to its signed message.opened delivery, and the deliveries per second — with the same signed POSTs sent
# straight to the same receiver as the baseline, in the same run. Verdicts keep their default settle window
# (Tracking:Verdicts:SettleWindowSeconds, 15 s): a counted open is reported once it can no longer be revised, so
# that window is part of the latency, as users of the product would see it.
# usage: bench/webhooks.sh [hits=500] [--settle SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
hits=${1:-500}
settle=15
[[ ${2:-} == --settle ]] && settle=${3:?}
work=$(mktemp -d /tmp/mailtracker-hooks-XXXX)
app_pid=""
cleanup() { [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build MailTracker.Web -c Release -v q -nologo >/dev/null
dotnet build bench/WebhookBench -c Release -v q -nologo >/dev/null
dotnet run --project bench/Seeder -c Release -- "$work/hooks.db" "$hits" "$work" --all-tracked >/dev/null
port=$(free_port)
receiver=$(free_port)
bench=bench/WebhookBench/bin/Release/net10.0/WebhookBench.dll
dotnet "$bench" setup "$work/hooks.db" "$receiver" "$work/secret"
( cd MailTracker.Web/bin/Release/net10.0 && exec env ASPNETCORE_ENVIRONMENT=Development Database__ConnectionString="Data Source=$work/hooks.db" \
    Sandbox__Enabled=false ReverseProxy__KnownProxies__0=127.0.0.1 Tracking__Verdicts__MinDeliverySeconds=0 \
    Tracking__Verdicts__SettleWindowSeconds="$settle" Tracking__RecordLimitPerMinutePerIp=0 Logging__LogLevel__Default=Warning \
    dotnet MailTracker.Web.dll --urls "http://127.0.0.1:$port" ) >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "The app did not start (no healthy /healthz within 60 s)."; cat "$work/app.log"; exit 1; }
echo "settle window: ${settle} s"
dotnet "$bench" run "$work/hooks.db" "http://127.0.0.1:$port" "$receiver" "$work/secret" "$work/opens.txt" "$hits"
