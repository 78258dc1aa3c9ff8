#!/usr/bin/env bash
# bench:live over every shared speaker: trains one recipe four times, each fold holding back a
# quarter of the speakers of every corpus among the inputs (RAVDESS actors 01/05/09, 02/06/10,
# 03/07/11, 04/08/12; EmoDB and nEMO speakers dealt the same way), then streams each fold's
# held-back speakers through its own model (bench/live.ts with the four models).
#   bash bench/live-folds.sh OUT_DIR [ser train inputs and flags…] [-- bench:live flags…]
#   e.g. bash bench/live-folds.sh /tmp/live-3c ../shared/datasets/{ravdess,emodb,nemo} -- --out bench/results/live-folds-corpora.json
# A fold already trained in OUT_DIR with the same arguments is reused; other arguments are refused.
set -euo pipefail
out=${1:?usage: bash bench/live-folds.sh OUT_DIR [ser train inputs and flags…] [-- bench:live flags…]}
shift
mkdir -p "$out"
train=(); live=()
while (($#)); do if [[ $1 == -- ]]; then shift; live=("$@"); break; fi; train+=("$1"); shift; done
folds=(
  "ravdess-01 ravdess-05 ravdess-09 emodb-03 emodb-11 nemo-EB0 nemo-MK0 nemo-WR0"
  "ravdess-02 ravdess-06 ravdess-10 emodb-08 nemo-IC0 nemo-MP0"
  "ravdess-03 ravdess-07 ravdess-11 emodb-09 nemo-KD0 nemo-SM0"
  "ravdess-04 ravdess-08 ravdess-12 emodb-10 nemo-KS0 nemo-TP0"
)
# The corpora among the inputs, by the name of each input (a folder or zip named after its corpus).
corpora=" "
for a in "${train[@]}"; do
  name=$(basename "$a" | tr '[:upper:]' '[:lower:]'); name=${name%.zip}
  case $name in ravdess|emodb|nemo) corpora+="$name " ;; esac
done
[[ $corpora != " " ]] || { echo "bench/live-folds.sh: none of the inputs is a folder or zip named ravdess, emodb or nemo." >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
deno=("$here/node_modules/.bin/deno" run -A --config "$here/deno.json")
models=()
for i in "${!folds[@]}"; do
  test=()
  for s in ${folds[$i]}; do [[ $corpora == *" ${s%%-*} "* ]] && test+=("$s"); done
  dir="$out/fold-$i"
  args="${train[*]} --test-actors $(IFS=,; echo "${test[*]}")"
  if [[ -f $dir/ser.json ]]; then
    [[ $(cat "$dir.args" 2>/dev/null) == "$args" ]] || { echo "bench/live-folds.sh: $dir was trained with other arguments ($(cat "$dir.args" 2>/dev/null || echo unknown)); remove it or choose another OUT_DIR." >&2; exit 2; }
  else
    "${deno[@]}" "$here/packages/cli/main.ts" train "${train[@]}" --test-actors "$(IFS=,; echo "${test[*]}")" --out "$dir" > "$out/fold-$i.log"
    echo "$args" > "$dir.args"
  fi
  models+=("$dir")
done
"${deno[@]}" "$here/bench/live.ts" --model "$(IFS=,; echo "${models[*]}")" "${live[@]}"
