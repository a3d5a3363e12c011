#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing (Postfix for its smtp-sink,
# Debian's Chromium for the browser tests, PostgreSQL 15), runs every test once, and ends with one line
# "N passed, N failed[, N skipped]" read from the real results.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/smtp-sink ] || need+=(postfix)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
[ -x /usr/bin/spamassassin ] || need+=(spamassassin)
# PostgreSQL 15's own binaries (initdb, pg_ctl, postgres): the fixture starts a throwaway server.
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
/usr/bin/python3 -c "import dkim" 2>/dev/null || need+=(python3-dkim)
# dnsmasq answers the sending-setup checks; publicsuffix is the list the repository keeps a copy of.
[ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
[ -f /usr/share/publicsuffix/public_suffix_list.dat ] || need+=(publicsuffix)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} for the tests…"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Postfix asks how to deliver mail; the tests only use its smtp-sink, so: no configuration.
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

results="tests/Newsletter.Tests/TestResults"
# Fresh results each run: the trx, the hang-blame folders and the screenshots of the browser tests.
rm -rf "$results"
set +e
dotnet test tests/Newsletter.Tests/Newsletter.Tests.csproj \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" \
  --blame-hang-timeout 10m "$@"
status=$?
set -e

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "The build or the test runner failed before any test ran." >&2
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
passed=$(count passed); failed=$(count failed); total=$(count total); executed=$(count executed)
skipped=$(( total - executed ))
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit $status
