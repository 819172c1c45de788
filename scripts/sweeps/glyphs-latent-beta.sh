#!/usr/bin/env bash
# Latent size × β sweep for the glyph model (models/README.md, "Sweep").
# Every run: glyph64 architecture, style pairs 0.5, 10 epochs, seed 1; only --latent and --beta change.
# Two runs at a time (one intra-op thread each); each run is evaluated (`npm run eval`) when it ends.
# Usage: bash scripts/sweeps/glyphs-latent-beta.sh [runs/sweep]   → <dir>/<name>.log, <dir>/<name>.eval.log
set -u
DIR=${1:-runs/sweep}
EPOCHS=${EPOCHS:-10}
mkdir -p "$DIR"
one() {
  local name=$1 latent=$2 beta=$3
  if [ ! -f "$DIR/$name/model.onnx" ]; then
    npx tsx scripts/train.ts --data data/glyphs/glyphs.ltds --spec glyph64 --latent "$latent" --beta "$beta" \
      --epochs "$EPOCHS" --batch 128 --lr 1e-3 --warmup 300 --kl-warmup 300 --binarize none --style-pairs 0.5 \
      --threads 1 --seed 1 --name "$name" --out "$DIR/$name" $( [ -f "$DIR/$name/checkpoint.ltck" ] && echo --resume ) > "$DIR/$name.log" 2>&1 || return 1
  fi
  npx tsx scripts/eval.ts --model "$DIR/$name/model.onnx" --data data/glyphs/glyphs.ltds --threads 1 --readme /dev/null > "$DIR/$name.eval.log" 2>&1
}
queue() { for cfg in "$@"; do one ${cfg//:/ }; done; }
queue z8-b1:8:1 z32-b1:32:1 z32-b1.5:32:1.5 &
queue z16-b1:16:1 z64-b1:64:1 z32-b1.25:32:1.25 &
wait
