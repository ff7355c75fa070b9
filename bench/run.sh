#!/usr/bin/env bash
# bench/run.sh: measure manifestctl against ajv-cli, jv and the read+decode
# floor, and write bench/RESULTS.md. One command, safe to run again:
#
#   bash bench/run.sh
#
# It builds manifestctl and the helper programs, generates the corpus (with
# ../shared/bench/gen when that folder is beside the checkout, else with
# bench/gen), installs hyperfine, GNU time and the baselines, times each case
# with hyperfine, measures peak RSS with /usr/bin/time -v, and replaces the
# generated part of bench/RESULTS.md. Everything it makes is under bench/out/.
#
# Environment: RUNS_ONE (default 30) and RUNS_FILES (default 10) set the
# hyperfine runs of the one-file and 11,000-file cases; RSS_RUNS (default 3)
# the /usr/bin/time runs per command; SKIP_AJV=1 leaves ajv-cli out.
# AUDIT_COUNT (default 3) is the runs of the audit benchmark (about 50 s
# each); SKIP_AUDIT=1 leaves it out. BEFORE_REV (default 4064633, the tree
# before the REST client, the fake Procore and the audit were linked in) is
# the "before" build of the start-up case.
#
# Adding a case (the audit will): write a function like case_one below that
# calls bench_case (timings), rss (peak memory) and target (a ratio to meet),
# and call it at the bottom. resultsmd turns the files into tables.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
RES=$OUT/results
SHARED=$(cd "$ROOT/.." && pwd)/shared/bench
RUNS_ONE=${RUNS_ONE:-30}
RUNS_FILES=${RUNS_FILES:-10}
RSS_RUNS=${RSS_RUNS:-3}
AUDIT_COUNT=${AUDIT_COUNT:-3}
BEFORE_REV=${BEFORE_REV:-4064633}
VALID=10000
INVALID=1000
SEED=41

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf '== %s\n' "$*" >&2; }

apt_install() {
	# apt_install PACKAGE...: install Debian packages, updating the lists
	# first when the install fails on stale ones.
	local sudo=()
	[ "$(id -u)" = 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get install -y -qq "$@" >/dev/null 2>&1 ||
		{ "${sudo[@]}" apt-get update -qq >/dev/null && "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null; }
}

# --- tools -------------------------------------------------------------------
command -v hyperfine >/dev/null || { log "installing hyperfine"; apt_install hyperfine; }
[ -x /usr/bin/time ] || { log "installing time"; apt_install time; }
if [ "${SKIP_AJV:-0}" != 1 ] && ! command -v npm >/dev/null; then
	log "installing nodejs and npm"
	apt_install nodejs npm || { log "npm unavailable: ajv-cli left out"; SKIP_AJV=1; }
fi

mkdir -p "$OUT" "$RES"
rm -f "$RES"/*

# --- programs ------------------------------------------------------------------
log "building manifestctl and the bench programs"
go build -o "$OUT/manifestctl" ./cmd/manifestctl
go build -o "$OUT/floor" ./bench/floor
go build -o "$OUT/execlist" ./bench/execlist
go build -o "$OUT/resultsmd" ./bench/resultsmd
go build -o "$OUT/benchjson" ./bench/benchjson
# The start-up case compares with the tree before the audit was linked in.
BEFORE_OK=0
if git -C "$ROOT" cat-file -e "$BEFORE_REV^{commit}" 2>/dev/null; then
	if [ "$(cat "$OUT/before.rev" 2>/dev/null)" != "$(git -C "$ROOT" rev-parse "$BEFORE_REV")" ] || [ ! -x "$OUT/manifestctl-before" ]; then
		log "building manifestctl at $BEFORE_REV (before the audit)"
		rm -rf "$OUT/before-src" && mkdir -p "$OUT/before-src"
		git -C "$ROOT" archive "$BEFORE_REV" | tar -x -C "$OUT/before-src"
		(cd "$OUT/before-src" && go build -o "$OUT/manifestctl-before" ./cmd/manifestctl)
		git -C "$ROOT" rev-parse "$BEFORE_REV" >"$OUT/before.rev"
	fi
	BEFORE_OK=1
else
	log "BEFORE_REV $BEFORE_REV not found: the start-up case compares with the floor only"
fi

# --- corpus --------------------------------------------------------------------
# Regenerated only when the generator or its arguments change (stamp file).
if [ -d "$SHARED/gen" ]; then
	GEN_DIR=$SHARED/gen
	GEN_NAME="../shared/bench/gen"
else
	GEN_DIR=$ROOT/bench/gen
	GEN_NAME="bench/gen (../shared/bench not found)"
fi
stamp="$(cat "$GEN_DIR"/*.go | sha256sum | cut -c1-16) $VALID $INVALID $SEED"
if [ "$(cat "$OUT/corpus.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$OUT/one.json" ]; then
	log "generating the corpus with $GEN_NAME"
	rm -rf "$OUT/corpus" "$OUT/corpus.stamp"
	(cd "$GEN_DIR" && go run . -out "$OUT/corpus" -one "$OUT/one.json" \
		-valid "$VALID" -invalid "$INVALID" -seed "$SEED")
	echo "$stamp" >"$OUT/corpus.stamp"
fi
(cd "$OUT" && find corpus -name '*.json' -type f | LC_ALL=C sort >files.txt)
awk 'NR % 10 == 1' "$OUT/files.txt" >"$OUT/files-tenth.txt"
NFILES=$(wc -l <"$OUT/files.txt")

# --- baselines -----------------------------------------------------------------
# As ../shared/bench/README.md says: npm ci in a copy of baseline/ajv, go build
# jv from a copy of baseline/jv. bench/baseline holds the same files for a
# checkout without shared/.
if [ -d "$SHARED/baseline" ]; then BASE=$SHARED/baseline; else BASE=$ROOT/bench/baseline; fi
if [ -f "$SHARED/gen/schema.json" ]; then SCHEMA=$SHARED/gen/schema.json; else SCHEMA=$ROOT/bench/baseline/schema.json; fi
cp -f "$SCHEMA" "$OUT/schema.json"

mkdir -p "$OUT/jv-src"
cp -f "$BASE"/jv/* "$OUT/jv-src/"
if [ ! -x "$OUT/jv" ] || ! cmp -s "$BASE/jv/go.sum" "$OUT/jv.built-from"; then
	log "building jv"
	(cd "$OUT/jv-src" && go build -o "$OUT/jv" github.com/santhosh-tekuri/jsonschema/cmd/jv)
	cp "$BASE/jv/go.sum" "$OUT/jv.built-from"
fi

AJV=()
if [ "${SKIP_AJV:-0}" != 1 ]; then
	mkdir -p "$OUT/ajv"
	if ! cmp -s "$BASE/ajv/package-lock.json" "$OUT/ajv/package-lock.json" || [ ! -x "$OUT/ajv/node_modules/.bin/ajv" ]; then
		log "installing ajv-cli (npm ci)"
		cp -f "$BASE/ajv/package.json" "$BASE/ajv/package-lock.json" "$OUT/ajv/"
		(cd "$OUT/ajv" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
			{ log "npm ci failed: ajv-cli left out"; rm -f "$OUT/ajv/package-lock.json"; SKIP_AJV=1; }
	fi
	[ "${SKIP_AJV:-0}" = 1 ] || AJV=(./ajv/node_modules/.bin/ajv validate --spec=draft2020 -c ajv-formats -s schema.json)
fi

# --- measuring helpers ---------------------------------------------------------
cd "$OUT"
: >"$RES/cases.txt"
: >"$RES/targets.txt"

# check NAME CMD...: run once; fail the script unless the exit status is 0
# or 1 (1 is "findings", expected on the corpus).
check() {
	local name=$1
	shift
	local rc=0
	"$@" >/dev/null 2>"$RES/check.err" || rc=$?
	if [ "$rc" -gt 1 ]; then
		log "$name exited $rc:"
		head -5 "$RES/check.err" >&2
		exit 1
	fi
}

# bench_case ID TITLE RUNS NAME CMD [NAME CMD]...: time each command with
# hyperfine (no shell, 3 warm-up runs, non-zero exits allowed after check).
bench_case() {
	local id=$1 title=$2 runs=$3
	shift 3
	echo "$id|$title" >>"$RES/cases.txt"
	local args=()
	while [ $# -gt 0 ]; do
		# shellcheck disable=SC2086
		check "$1" $2
		args+=(-n "$1" "$2")
		shift 2
	done
	log "timing: $title"
	hyperfine -N -i -w 3 -r "$runs" --style basic --export-json "$RES/$id.json" "${args[@]}" >&2
}

# rss ID NAME CMD...: peak resident set size of RSS_RUNS runs, in KiB.
rss() {
	local id=$1 name=$2
	shift 2
	grep -q "^$id|" "$RES/cases.txt" || echo "$id|$id" >>"$RES/cases.txt"
	local line=$name
	for _ in $(seq "$RSS_RUNS"); do
		/usr/bin/time -v "$@" >/dev/null 2>"$RES/time.err" || true
		line+=" $(awk -F': ' '/Maximum resident set size/ {print $2}' "$RES/time.err")"
	done
	echo "$line" >>"$RES/$id.rss"
}

# target CASE METRIC SUBJECT MAX REFERENCE TEXT: SUBJECT's METRIC (time or
# rss) must be at most MAX times REFERENCE's.
target() { echo "$1|$2|$3|$4|$5|$6" >>"$RES/targets.txt"; }

# --- cases ---------------------------------------------------------------------
ONE_KB=$(($(wc -c <one.json) / 1024))

case_one() {
	local cmds=(
		manifestctl "./manifestctl validate one.json"
		jv "./jv -f schema.json one.json"
	)
	[ ${#AJV[@]} -gt 0 ] && cmds+=(ajv "${AJV[*]} -d one.json")
	cmds+=(floor "./floor -j 1 one.json")
	bench_case one "One typical file (one.json, ${ONE_KB} KB)" "$RUNS_ONE" "${cmds[@]}"
	rss one manifestctl ./manifestctl validate one.json
	rss one jv ./jv -f schema.json one.json
	[ ${#AJV[@]} -gt 0 ] && rss one ajv "${AJV[@]}" -d one.json
	target one time manifestctl 0.5 jv "at most half of jv's time"
	[ ${#AJV[@]} -gt 0 ] && target one time manifestctl 0.05 ajv "under a twentieth of ajv-cli's time"
	return 0
}

case_files() {
	local nproc
	nproc=$(nproc)
	local cmds=(
		manifestctl "./manifestctl validate corpus"
		"manifestctl -j 1" "./manifestctl validate --jobs 1 corpus"
		jv "./execlist files.txt ./jv -f schema.json"
	)
	[ ${#AJV[@]} -gt 0 ] && cmds+=(ajv "./execlist -each -d files.txt ${AJV[*]}")
	cmds+=(
		floor "./floor corpus"
		"floor -j 1" "./floor -j 1 corpus"
	)
	bench_case files "$NFILES files, one process ($nproc cores)" "$RUNS_FILES" "${cmds[@]}"
	rss files manifestctl ./manifestctl validate corpus
	rss files jv ./execlist files.txt ./jv -f schema.json
	[ ${#AJV[@]} -gt 0 ] && rss files ajv ./execlist -each -d files.txt "${AJV[@]}"
	rss files floor ./floor corpus
	target files time manifestctl 0.5 jv "at most half of jv's time"
	target files time manifestctl 2 floor "within 2× of the read+decode floor on the same cores"
	target files rss manifestctl 2 jv "peak RSS at most 2× jv's"
	return 0
}

case_memory_scaling() {
	# The same run on a tenth of the files: peak RSS must not grow with the
	# number of files (beyond the report itself).
	echo "scaling|Peak RSS against the number of files" >>"$RES/cases.txt"
	rss scaling "manifestctl-$(wc -l <files-tenth.txt)-files" ./execlist files-tenth.txt ./manifestctl validate
	rss scaling "manifestctl-$NFILES-files" ./execlist files.txt ./manifestctl validate
	target scaling rss "manifestctl-$NFILES-files" 1.5 "manifestctl-$(wc -l <files-tenth.txt)-files" \
		"10× the files, peak RSS not growing (our bound: 1.5×)"
}

case_startup() {
	# Issue 12 item 6: linking the HTTP, OAuth and sandbox code must not
	# slow validate's start-up. The floor reads and decodes the same file.
	local cmds=(manifestctl "./manifestctl validate one.json")
	[ "$BEFORE_OK" = 1 ] && cmds+=("manifestctl before the audit" "./manifestctl-before validate one.json")
	cmds+=(floor "./floor -j 1 one.json")
	bench_case startup "Start-up: validate one.json against the tree before the audit and a minimal Go program" "$RUNS_ONE" "${cmds[@]}"
	[ "$BEFORE_OK" = 1 ] && target startup time manifestctl 1.1 "manifestctl before the audit" \
		"validate starts no more than 10% slower than before the audit was linked in"
	# Package initialisation of the new packages: none may do work at start.
	GODEBUG=inittrace=1 ./manifestctl validate one.json 2>&1 >/dev/null |
		awk '/^init github.com\/manifestctl/ {printf "%s %s %s; ", $2, $5, $6}' >"$RES/inittrace.txt" || true
	return 0
}

case_audit() {
	# Issue 12: 500 permitted projects at 20 ms a request, through the
	# command against the fake Procore on loopback (BenchmarkAudit in
	# cmd/manifestctl/audit_bench_test.go).
	echo "audit|Audit of 500 projects, 20 ms latency (Go benchmark, $AUDIT_COUNT runs)" >>"$RES/cases.txt"
	log "running the audit benchmark ($AUDIT_COUNT × about 50 s)"
	(cd "$ROOT" && go test -run '^$' -bench '^BenchmarkAudit$' -benchtime 1x -count "$AUDIT_COUNT" ./cmd/manifestctl) >"$RES/audit.bench"
	"$OUT/benchjson" -prefix BenchmarkAudit/ -o "$RES/audit.json" <"$RES/audit.bench" >"$RES/audit.metrics"
	target audit time "concurrency=8" 0.1667 "concurrency=1" "--concurrency 8 at least 6× faster than --concurrency 1"
	target audit time "concurrency=8/ratelimit" 1.1 "concurrency=8/ratelimit (limit allows)" \
		"under a 300-per-30-seconds limit, at most 10% longer than the limit itself allows"
}

case_one
case_files
case_memory_scaling
case_startup
[ "${SKIP_AUDIT:-0}" = 1 ] || case_audit

# --- report --------------------------------------------------------------------
{
	echo "date|$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine|$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, load average before the run: $LOAD"
	echo "manifestctl|$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . 2>/dev/null || echo ' + uncommitted changes'), $(go version | cut -d' ' -f3)"
	echo "baselines|jv $(grep 'cmd/jv v' "$BASE/jv/go.mod" | awk '{print $NF}') (jsonschema/v6), ajv-cli $(node -p "require('./ajv/node_modules/ajv-cli/package.json').version" 2>/dev/null || echo '–') with ajv $(node -p "require('./ajv/node_modules/ajv/package.json').version" 2>/dev/null || echo '–'), node $(node --version 2>/dev/null || echo '–'), hyperfine $(hyperfine --version | awk '{print $2}')"
	echo "corpus|$NFILES files ($VALID valid, $INVALID invalid, seed $SEED, $(du -sh corpus | cut -f1)) from $GEN_NAME; one.json $(wc -c <one.json) bytes"
	echo "method|hyperfine -N (no shell), 3 warm-up runs, $RUNS_ONE runs (one file) and $RUNS_FILES runs (corpus); peak RSS is the median of $RSS_RUNS runs of /usr/bin/time -v. jv and ajv-cli get the same files as an explicit list through bench/execlist (it execs them; about 1 ms). manifestctl walks the corpus directory"
	[ -f "$RES/audit.metrics" ] && echo "audit requests|$(tr '\n' ';' <"$RES/audit.metrics" | sed 's/;$//; s/;/; /g') (requests/op must equal floor/op: one token, one token info, the company permissions, 5 pages, 500 project calls; 429s are counted as requests)"
	[ -s "$RES/inittrace.txt" ] && echo "package init (validate one.json, GODEBUG=inittrace=1)|$(cat "$RES/inittrace.txt")"
} >"$RES/meta.txt"
"$OUT/resultsmd" -dir "$RES" -o "$ROOT/bench/RESULTS.md"
log "wrote bench/RESULTS.md"
