#!/usr/bin/env bash
# SPDX-License-Identifier: EPL-2.0
# Blender split-frame benchmark (not a test): one frame of a Cycles scene split over 2 node servers
# versus one plain `blender -b -t 2` render of the same frame on the same machine.
#
#   tests/org.tessera.render.tests/blender/bench.sh [WxH] [SAMPLES] [RUNS]     (default 480x270 128 5)
#
# Prints, per run: the plain render's wall time, the Tessera job's time (`tessera render --nodes 2`:
# two real node servers on loopback in one JVM, scene upload over HTTP, one row band per node, each band a
# border render under the scene sandbox with the machine's cores (`-t $(nproc)`); JVM start excluded, as a
# farm's nodes are running; the two sides alternate in every round),
# their ratio, and whether the frames are identical; then min/median/max of the ratio, and the per-process
# overhead every tile pays: Blender's start (factory settings, no file), start + loading the scene, and the
# scene sync + BVH build up to the first sample (from Blender's own `Time:` on its `Sample 0/N` line).
# The plain render's CPU seconds and the load average are printed too: on a shared machine a plain render
# that got much less than 2 cores' worth of CPU makes that run's ratio noise. BENCH_NICE=-10 (as root)
# runs both sides at that priority, the same for both, so that other work on a shared machine disturbs less. Needs a built product (./mvnw verify or ./tessera once), blender, bwrap, and ImageMagick's `convert` for
# the pixel check (skipped without it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
size=${1:-480x270}
samples=${2:-128}
runs=${3:-5}
w=${size%x*}
h=${size#*x}
work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-blender-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" TMPDIR="$work/tmp" # Blender's blender_XXXX folders go with the work folder
mkdir -p "$HOME" "$TMPDIR"

blender -b -noaudio --factory-startup --python "$here/make_scene.py" -- "$work/scene/bench.blend" plain "$w" "$h" "$samples" \
  >"$work/make.log" 2>&1 || { cat "$work/make.log"; exit 1; }
scene="$work/scene/bench.blend"

now() { date +%s.%N; }
prio=()
[ -n "${BENCH_NICE:-}" ] && prio=(nice -n "$BENCH_NICE")
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

t0=$(now); blender -b --factory-startup -noaudio --python-expr 'import os; os._exit(0)' >/dev/null 2>&1; t1=$(now)
start=$(secs "$t0" "$t1")
t0=$(now); blender -b --factory-startup -noaudio --disable-autoexec "$scene" --python-expr 'import os; os._exit(0)' \
  >/dev/null 2>&1; t1=$(now)
load=$(secs "$t0" "$t1")

ratios=()
for run in $(seq 1 "$runs"); do
  rm -rf "$work/ref" "$work/out"
  mkdir -p "$work/ref" "$work/out"
  t0=$(now)
  "${prio[@]}" /usr/bin/time -f '%U %S' -o "$work/ref.cpu" blender -b -noaudio -t 2 "$scene" -o "$work/ref/ref_####" -f 1 \
    >"$work/ref.log" 2>&1
  t1=$(now)
  plain=$(secs "$t0" "$t1")
  plaincpu=$(awk '{ printf "%.1f", $1 + $2 }' "$work/ref.cpu")
  sync=$(grep -m1 -o 'Time:[0-9:.]* |.*Sample 0/' "$work/ref.log" | sed 's/Time:\([0-9:.]*\).*/\1/' || true)
  TESSERA_NO_BUILD=${TESSERA_NO_BUILD:-1} "${prio[@]}" "$root/tessera" render "$scene" --nodes 2 --size "$size" --bits 16 --out "$work/out/t_####.png" \
    >"$work/tessera.out" 2>"$work/tessera.err" || { cat "$work/tessera.err"; exit 1; }
  job=$(grep -o 'tiles in [0-9.]* s' "$work/tessera.err" | awk '{print $3}')
  same="not checked"
  if command -v convert >/dev/null; then
    if cmp -s <(convert "$work/ref/ref_0001.png" -depth 16 rgb:-) <(convert "$work/out/t_0001.png" -depth 16 rgb:-); then
      same="identical"
    else
      same="DIFFERENT"
    fi
  fi
  ratio=$(awk -v a="$job" -v b="$plain" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  printf 'run %d: blender -b -t 2: %s s (%s CPU s)   tessera, 2 nodes: %s s   ratio %s   frame %s   (sync+BVH to first sample %s)   load %s\n' \
    "$run" "$plain" "$plaincpu" "$job" "$ratio" "$same" "${sync:-?}" "$(cut -d' ' -f1 /proc/loadavg)"
done
sorted=$(printf '%s\n' "${ratios[@]}" | sort -n)
median=$(echo "$sorted" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
printf 'ratio min %s median %s max %s over %d runs (%s, %s samples)\n' "$(echo "$sorted" | head -1)" \
  "$median" "$(echo "$sorted" | tail -1)" "$runs" "$size" "$samples"
printf 'per-process overhead: Blender start %s s, start + scene load %s s\n' "$start" "$load"
