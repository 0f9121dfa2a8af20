#!/usr/bin/env bash
# Mail tab benchmark (issue 4): seeds a 100,000-message mailbox (a quarter tracked, some opened and clicked) and a
# 10-message one as the baseline, times the Mail tab's queries at the service level (target <= 50 ms each) and the
# time until /mail/sent is interactive with its first row in Chromium (target <= 1 s), and Insights' queries
# (issue 15, target <= 100 ms each; the mail carries tracking events for the automated share), and prints the ratios.
# usage: bench/mailbox.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/mailtracker-mailbox-XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build MailTracker.Web -c Release -v q -nologo >/dev/null
dotnet build bench/MailboxBench -c Release -v q -nologo >/dev/null
dotnet run --project bench/Seeder -c Release -- "$work/big.db" 100000 "$work/big" --events
dotnet run --project bench/Seeder -c Release -- "$work/small.db" 10 "$work/small" --events

start_app() { # db -> sets $url
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ( cd MailTracker.Web/bin/Release/net10.0 && exec env ASPNETCORE_ENVIRONMENT=Development Database__ConnectionString="Data Source=$1" \
      Sandbox__Enabled=false Logging__LogLevel__Default=Warning dotnet MailTracker.Web.dll --urls "http://127.0.0.1:$port" ) >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "The app did not start (no healthy /healthz within 60 s)."; exit 1; }
  url="http://127.0.0.1:$port"
}
start_app "$work/big.db"; big_url=$url
start_app "$work/small.db"; small_url=$url
dotnet bench/MailboxBench/bin/Release/net10.0/MailboxBench.dll "$work/big.db" "$work/small.db" "$big_url" "$small_url"
