#!/usr/bin/env bash
# Benchmark: the initial IMAP sync of 10,000 messages from a real Dovecot (started on a loopback port in a temp folder,
# as root, like the tests' fixture), target <= 60 s. Prints the sync time and its ratio to a baseline measured in the
# same run: a raw MailKit SEARCH + FETCH of the same messages that parses and stores nothing.
#
#   bench/sync.sh [messages=10000] [target-seconds=60]
#
# Needs dovecot-imapd (.ci/run installs it). Do not run it while the test suite runs: both want the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/SyncBench -c Release -warnaserror -v quiet -nologo >/dev/null
exec dotnet bench/SyncBench/bin/Release/net10.0/SyncBench.dll "${1:-10000}" "${2:-60}"
