#!/usr/bin/env bash
# Builds the model that ships with the page and the CLI (models/default.zip): the
# default `ser train` run (BYOL-S + narrowband view, mlp, seed 42) on both shared corpora, the
# RAVDESS subset and EmoDB, holding out RAVDESS actors 01, 04, 11 and EmoDB speakers 03, 08 as
# the test speakers it never hears (the CLI's own default split for RAVDESS alone, plus two of
# EmoDB's five). Two corpora, two languages and two rooms carry better to a new voice than one.
# Its report (one clip, enrolled, skewed) is kept beside it (models/default.txt), and the
# per-corpus one-clip figures the CLI and the page quote in models/default.json. Rerun after any
# change to the front end, the training defaults or the bundle format:
#   pnpm build:default-model      (needs ../shared/datasets; ~20 s with the feature cache warm)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared/datasets}"
args=("$shared/ravdess" "$shared/emodb" --test-actors ravdess-01,ravdess-04,ravdess-11,emodb-03,emodb-08)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$work}"
deno="./node_modules/.bin/deno"
"$deno" run -A packages/cli/main.ts train "${args[@]}" --out "$work/default" --zip --json "$work/report.json" > "$work/report.txt" 2> "$work/log.txt" || { cat "$work/log.txt" >&2; exit 1; }
cp "$work/default.zip" models/default.zip
{
  echo "# ser train ${args[*]} --out default --zip  (scripts/build-default-model.sh, $(date -u +%Y-%m-%d))"
  cat "$work/report.txt"
  # One clip at a time, per corpus over its own classes (the report's per-file predictions).
  "$deno" run -A scripts/default-model-figures.ts "$work/report.json" models/default.json
} > models/default.txt
ls -l models/default.zip
grep -E "one clip|enrolled|skewed|UAR" models/default.txt
