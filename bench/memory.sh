#!/usr/bin/env bash
# bench/memory.sh: peak memory of `manifestctl validate` in every report
# format, on 80 clean files of about 10 MB, on 20,000 small files and on
# 20,000 small files with six findings each (issue 9 item 12: the formats
# that write at the end hold findings). Prints a Markdown table (also
# written to bench/out/memory.md):
#
#   bash bench/memory.sh
#
# It builds manifestctl from the working tree (or uses $MANIFESTCTL, to
# measure another build), generates the corpora once with bench/memcorpus
# under bench/out/mem, and runs each format RSS_RUNS times (default 1)
# under /usr/bin/time -v, keeping the median peak RSS. Environment: BIG
# (80), SIZE (10000000 bytes), SMALL (20000), FINDINGS (20000), FORMATS
# (every format).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
MEM=$OUT/mem
BIG=${BIG:-80}
SIZE=${SIZE:-10000000}
SMALL=${SMALL:-20000}
FINDINGS=${FINDINGS:-20000}
RSS_RUNS=${RSS_RUNS:-1}
FORMATS=${FORMATS:-text json sarif github junit markdown codeclimate rdjsonl}

log() { printf '== %s\n' "$*" >&2; }

if [ ! -x /usr/bin/time ]; then
	log "installing GNU time"
	sudo=()
	[ "$(id -u)" = 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get install -y -qq time >/dev/null 2>&1 ||
		{ "${sudo[@]}" apt-get update -qq >/dev/null && "${sudo[@]}" apt-get install -y -qq time >/dev/null; }
fi

mkdir -p "$OUT"
MC=${MANIFESTCTL:-}
if [ -z "$MC" ]; then
	log "building manifestctl"
	go build -o "$OUT/manifestctl" ./cmd/manifestctl
	MC=$OUT/manifestctl
fi

stamp="$(sha256sum bench/memcorpus/main.go | cut -c1-16) $BIG $SIZE $SMALL $FINDINGS"
if [ "$(cat "$MEM.stamp" 2>/dev/null)" != "$stamp" ]; then
	log "generating $BIG files of $SIZE bytes, $SMALL small files and $FINDINGS with findings"
	rm -rf "$MEM" "$MEM.stamp"
	go run ./bench/memcorpus -out "$MEM" -big "$BIG" -size "$SIZE" -small "$SMALL" -findings "$FINDINGS"
	echo "$stamp" >"$MEM.stamp"
fi

# peak CORPUS FORMAT: median peak RSS in MiB of RSS_RUNS runs.
peak() {
	local corpus=$1 format=$2 runs=() rc
	for _ in $(seq "$RSS_RUNS"); do
		rc=0
		/usr/bin/time -v "$MC" validate --format "$format" "$MEM/$corpus" >/dev/null 2>"$OUT/mem-time.err" || rc=$?
		if [ "$rc" -gt 1 ]; then
			log "validate --format $format $corpus exited $rc:"
			tail -5 "$OUT/mem-time.err" >&2
			exit 1
		fi
		runs+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/mem-time.err")")
	done
	printf '%s\n' "${runs[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1024}'
}

{
	echo "| format | $BIG × $((SIZE / 1000000)) MB files: peak RSS (MiB) | $SMALL small files: peak RSS (MiB) | $FINDINGS small files, $((FINDINGS * 6)) findings: peak RSS (MiB) |"
	echo "|---|---:|---:|---:|"
	for f in $FORMATS; do
		log "measuring $f"
		echo "| $f | $(peak big "$f") | $(peak small "$f") | $(peak findings "$f") |"
	done
} | tee "$OUT/memory.md"
