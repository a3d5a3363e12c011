#!/usr/bin/env bash
# The benchmark command (issue 6): installs what the other clients need when it is missing
# (Postfix for smtp-sink and smtp-source, Node.js with nodemailer, Python 3), then runs every
# measurement once and prints the tables. Options pass through, e.g.
#   bash tests/Newsletter.Benchmarks/run.sh --n 20000,1000000
#   bash tests/Newsletter.Benchmarks/run.sh --only baselines --connections 8
# Traffic goes only to 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."

need=()
[ -x /usr/sbin/smtp-sink ] && [ -x /usr/sbin/smtp-source ] || need+=(postfix)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} for the benchmarks…" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Postfix asks how to deliver mail; the benchmarks only use its smtp-sink and smtp-source.
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# nodemailer goes into a gitignored folder beside the project; the version is the one pinned in
# Baselines/NodemailerBaseline.cs (the program installs it too when started without this script).
modules="$here/.cache/node"
if [ ! -f "$modules/node_modules/nodemailer/package.json" ]; then
  echo "Installing nodemailer into $modules…" >&2
  npm install --prefix "$modules" --no-audit --no-fund --no-save --loglevel=error nodemailer@10.6.0 >&2
fi

exec dotnet run -c Release --project tests/Newsletter.Benchmarks -- "$@"
