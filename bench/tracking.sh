#!/usr/bin/env bash
# Tracking endpoint benchmark (issues 3 and 13). Starts the app in Release on a fresh SQLite database seeded with
# 10,000 tracked messages, then measures with wrk (64 connections, 15 s each, random valid tokens):
#   (a) /bench/gif  - the same GIF with no work at all (the baseline, mapped only with Tracking:BenchEndpoint)
#   (b) /t/o/{token}.gif - the open pixel, each hit committed to the intake before the answer
#   (c) /t/c/{token}     - the click redirect, likewise
#   and, to show where the floor is, /bench/handoff.gif: the intake writer's queue, group and wait with nothing
#   written (what the hand-off between requests and the one writer costs, whatever the writing does).
# It prints req/s and p50/p99 latency for each and the ratios b/a and c/a; for each flood the intake backlog at its
# end, how long the projector then took to catch up and its throughput; the peak size of the write-ahead logs; and
# checks that, once projected, the number of events equals the number of 2xx/3xx answers.
# Targets (issue 13): open/bare and click/bare >= 0.6, p99 <= 10 ms on SQLite; >= 0.4 on PostgreSQL.
# With --postgres the app runs on a PostgreSQL started for the run (Debian's packages; fsync and synchronous_commit on,
# so a commit is as durable as on a production server) instead of SQLite. With --intake-main the SQLite intake is a
# table in the main database file instead of a file of its own (the comparison decision 0003 reports).
# usage: bench/tracking.sh [seconds=15] [connections=64] [--postgres|--intake-main]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
connections=${2:-64}
database=sqlite
intake_setting=()
[[ ${3:-} == --postgres ]] && database=postgres
[[ ${3:-} == --intake-main ]] && intake_setting=(Tracking__IntakeDatabase=main)
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }
[[ $database == postgres ]] || command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install -y sqlite3"; exit 1; }

work=$(mktemp -d /tmp/mailtracker-bench-XXXX)
app_pid=""
pg=""
cleanup() {
  # The app first, and let it finish: stopping PostgreSQL under a running projector only logs a failed batch.
  [[ -n $app_pid ]] && { kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null; }
  # PostgreSQL's fast shutdown, by the PID in its own pid file.
  [[ -n $pg && -f $pg/data/postmaster.pid ]] && kill -INT "$(head -1 "$pg/data/postmaster.pid")" 2>/dev/null
  wait 2>/dev/null; rm -rf "$work" ${pg:+"$pg"}
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build MailTracker.Web -c Release -v q -nologo >/dev/null
if [[ $database == postgres ]]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n $bin ]] || { echo "PostgreSQL is needed: apt-get install -y postgresql"; exit 1; }
  as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  pg=$(mktemp -d /tmp/mailtracker-bench-pg-XXXX)
  [[ $(id -u) == 0 ]] && chown postgres: "$pg"
  pg_port=$(free_port)
  as_postgres "$bin/initdb" -D "$pg/data" --auth=trust --username=postgres --encoding=UTF8 >/dev/null
  as_postgres "$bin/postgres" -D "$pg/data" -p "$pg_port" -k "$pg" -c listen_addresses=127.0.0.1 -c max_connections=200 >"$pg/log" 2>&1 &
  for _ in $(seq 1 150); do "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.2; done
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || { echo "PostgreSQL did not start:"; cat "$pg/log"; exit 1; }
  "$bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -c 'CREATE DATABASE bench'
  connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench;Maximum Pool Size=100"
  dotnet run --project bench/Seeder -c Release -- "$connection" 10000 "$work" --all-tracked
  app_database=(Database__Provider=PostgreSql "Database__ConnectionString=$connection")
  events() { "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d bench -tAc 'SELECT COUNT(*) FROM "TrackingEvents";'; }
  backlog() { "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d bench -tAc 'SELECT COUNT(*) FROM "TrackingIntake";'; }
else
  dotnet run --project bench/Seeder -c Release -- "$work/bench.db" 10000 "$work" --all-tracked
  app_database=("Database__ConnectionString=Data Source=$work/bench.db")
  events() { sqlite3 "$work/bench.db" 'SELECT COUNT(*) FROM "TrackingEvents";'; }
  intake_file="$work/bench.intake.db"; [[ ${#intake_setting[@]} -gt 0 ]] && intake_file="$work/bench.db"
  backlog() {
    local cursor; cursor=$(sqlite3 "$work/bench.db" 'SELECT "Position" FROM "ProjectionCursors" WHERE "Name" = '"'"'tracking'"'"';')
    sqlite3 "$intake_file" "SELECT COUNT(*) FROM \"TrackingIntake\" WHERE \"Position\" > $cursor;"
  }
fi

port=$(free_port)
( cd MailTracker.Web/bin/Release/net10.0 && exec env ASPNETCORE_ENVIRONMENT=Production \
    "${app_database[@]}" "${intake_setting[@]}" Tracking__BenchEndpoint=true \
    Tracking__RecordLimitPerMinutePerIp=0 Tracking__Verdicts__MinDeliverySeconds=0 \
    Sandbox__Enabled=false Logging__LogLevel__Default=Warning \
    dotnet MailTracker.Web.dll --urls "http://127.0.0.1:$port" ) &
app_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "The app did not start (no healthy /healthz within 60 s)."; exit 1; }

run() { # kind tokens-file -> RESULT line
  KIND=$1 TOKENS=$2 wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/tracking.lua "http://127.0.0.1:$port" | grep '^RESULT'
}
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# Warm up every path at full load until tiered compilation has settled (a 3 s warm-up left the JIT busy on a core
# during the first measured run), so the figures are the steady state.
KIND=bare TOKENS="$work/opens.txt" wrk -t2 -c"$connections" -d5s -s bench/tracking.lua "http://127.0.0.1:$port" >/dev/null
KIND=handoff TOKENS="$work/opens.txt" wrk -t2 -c"$connections" -d5s -s bench/tracking.lua "http://127.0.0.1:$port" >/dev/null
KIND=open TOKENS="$work/opens.txt" wrk -t2 -c"$connections" -d8s -s bench/tracking.lua "http://127.0.0.1:$port" >/dev/null
KIND=click TOKENS="$work/clicks.txt" wrk -t2 -c"$connections" -d8s -s bench/tracking.lua "http://127.0.0.1:$port" >/dev/null
# The warm-up's hits are projected before anything is measured: a projector still at work would slow the baseline.
while (( $(backlog) > 0 )); do sleep 0.2; done

# The write-ahead logs' sizes, sampled every 100 ms for the whole run (SQLite only).
wal_peak="$work/wal-peak"; echo 0 >"$wal_peak"
if [[ $database == sqlite ]]; then
  ( peak=0; while sleep 0.1; do
      for f in "$work"/*.db-wal; do [[ -f $f ]] || continue; size=$(stat -c %s "$f"); (( size > peak )) && { peak=$size; echo "$peak" >"$wal_peak"; }; done
    done ) & wal_pid=$!
fi

# After a flood: the backlog the projector still had, and how long it took to work it off.
drain() { # name -> prints a line; sets drained_at
  local left start end
  left=$(backlog); start=$(date +%s.%N)
  while (( $(backlog) > 0 )); do sleep 0.05; done
  end=$(date +%s.%N)
  python3 -c "l=$left; t=$end-$start; print(f'$1: backlog at the flood\'s end {l} hits, projected {t:.2f} s later' + (f' ({l/t:,.0f} hits/s)' if l and t > 0 else ''))"
}
# Counts settle once the requests wrk left in flight have been committed and projected.
settled_events() { local a b; a=$(events); while sleep 0.5; b=$(events); [[ $a != "$b" ]] || (( $(backlog) > 0 )); do a=$b; done; echo "$b"; }
bare=$(run bare "$work/opens.txt")
handoff=$(run handoff "$work/opens.txt")
before=$(settled_events)
t0=$(date +%s.%N); open=$(run open "$work/opens.txt"); drain_open=$(drain opens); t1=$(date +%s.%N); after_open=$(settled_events)
click=$(run click "$work/clicks.txt"); drain_click=$(drain clicks); t2=$(date +%s.%N); after_click=$(settled_events)
[[ -n ${wal_pid:-} ]] && kill "$wal_pid" 2>/dev/null

echo; echo "database: $database"
printf '%-22s %12s %10s %10s %10s\n' endpoint "req/s" "p50 ms" "p99 ms" "ok"
for name in bare handoff open click; do
  line=${!name}
  printf '%-22s %12s %10s %10s %10s\n' "$name" "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field ok "$line")"
done
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
echo
echo "ratio handoff/bare: $(ratio "$(field rps "$handoff")" "$(field rps "$bare")")  (the queue and wait alone, nothing written)"
echo "ratio open/bare:  $(ratio "$(field rps "$open")" "$(field rps "$bare")")  (target >= 0.6 on SQLite, 0.4 on PostgreSQL)"
echo "ratio click/bare: $(ratio "$(field rps "$click")" "$(field rps "$bare")")  (target >= 0.6 on SQLite, 0.4 on PostgreSQL)"
echo "$drain_open"
echo "$drain_click"
python3 -c "print(f'projection throughput over flood and catch-up: opens {($after_open - $before) / ($t1 - $t0):,.0f} hits/s, clicks {($after_click - $after_open) / ($t2 - $t1):,.0f} hits/s')"
[[ $database == sqlite ]] && echo "peak WAL size (main database and intake): $(( $(cat "$wal_peak") / 1024 / 1024 )) MB (Tracking:MaxWalMegabytes=64)"
echo "recorded opens:  $((after_open - before)) for $(field ok "$open") answers"
echo "recorded clicks: $((after_click - after_open)) for $(field ok "$click") answers"
# A request in flight when wrk stops may be committed without its answer being counted: at most one per connection.
check() { # name recorded answers
  local extra=$(( $2 - $3 ))
  if (( extra == 0 )); then echo "$1: events == answers"
  elif (( extra > 0 && extra <= connections )); then echo "$1: events == answers + $extra in flight when wrk stopped (committed, answer not read)"
  else echo "$1: MISMATCH ($2 events, $3 answers)"; return 1; fi
}
check opens $((after_open - before)) "$(field ok "$open")"
check clicks $((after_click - after_open)) "$(field ok "$click")"
