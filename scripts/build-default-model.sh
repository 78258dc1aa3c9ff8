#!/usr/bin/env bash
# Builds the model that ships with the page and the CLI (models/default.zip): the default
# `ser train` recipe (BYOL-S + narrowband view, mlp, corpus weighting, seed 42) on every speaker
# of the three shared corpora (RAVDESS, EmoDB, nEMO), none held back (--split none). Its figures
# come from the same recipe's cross-validation on the same corpora, run here: leave one corpus
# out (models/default-cv-corpora.json) and speaker-independent 4-fold CV
# (models/default-cv-speakers.json), summed up in models/default.json, which the CLI's note, the
# page's paragraph and models/README.md quote and a test checks. Rerun after any change to the
# front end, the training defaults or the bundle format:
#   pnpm build:default-model      (needs ../shared/datasets; ~8 min on 2 cores, features cached)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared/datasets}"
inputs=("$shared/ravdess" "$shared/emodb" "$shared/nemo")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$work}"
deno="./node_modules/.bin/deno"
ser() { "$deno" run -A packages/cli/main.ts "$@"; }
ser train "${inputs[@]}" --split none --out "$work/default" --zip > "$work/train.txt" 2> "$work/train.log" || { cat "$work/train.log" >&2; exit 1; }
ser cv "${inputs[@]}" --by dataset --json models/default-cv-corpora.json > "$work/cv-corpora.txt" 2> "$work/cv.log" || { cat "$work/cv.log" >&2; exit 1; }
ser cv "${inputs[@]}" --json models/default-cv-speakers.json > "$work/cv-speakers.txt" 2>> "$work/cv.log" || { cat "$work/cv.log" >&2; exit 1; }
cp "$work/default.zip" models/default.zip
{
  echo "# ser train ${inputs[*]} --split none --out default --zip  (scripts/build-default-model.sh, $(date -u +%Y-%m-%d))"
  cat "$work/train.txt"
  echo
  "$deno" run -A scripts/default-model-figures.ts models/default-cv-speakers.json models/default-cv-corpora.json models/default.json
  echo
  echo "# ser cv ${inputs[*]} --by dataset"
  cat "$work/cv-corpora.txt"
  echo
  echo "# ser cv ${inputs[*]}"
  cat "$work/cv-speakers.txt"
} > models/default.txt
ls -l models/default.zip
grep -A4 "one clip at a time, " models/default.txt
