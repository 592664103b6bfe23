#!/usr/bin/env bash
# Times `spur render` of Boo against the official Typst CLI compiling the same report
# from its `--typst-dir` export (same template, data, fonts and PDF standard), run
# alternately. Usage: benches/versus-typst.sh SPUR TYPST [RUNS]
# Prints the median and the best run of each, in milliseconds, and their ratios.
set -euo pipefail
spur=$1 typst=$2 runs=${3:-50}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$spur" render fixtures/boo-vardcentral.yaml -o "$work/export.pdf" --typst-dir "$work/typst" 2>/dev/null
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)); }
for ((i = 0; i < runs; i++)); do
  ms "$spur" render fixtures/boo-vardcentral.yaml -o "$work/spur.pdf" >>"$work/spur.times"
  ms "$typst" compile --ignore-system-fonts --font-path "$work/typst/fonts" \
    --pdf-standard a-2a "$work/typst/report.typ" "$work/typst.pdf" >>"$work/typst.times"
done
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f %.1f\n", v[int((NR + 1) / 2)] / 1000, v[1] / 1000 }'; }
read -r sm sb < <(stats "$work/spur.times")
read -r tm tb < <(stats "$work/typst.times")
echo "spur   median $sm ms, best $sb ms"
echo "typst  median $tm ms, best $tb ms"
awk -v a="$sm" -v b="$tm" -v c="$sb" -v d="$tb" 'BEGIN { printf "ratio  median %.2f, best %.2f\n", a / b, c / d }'
