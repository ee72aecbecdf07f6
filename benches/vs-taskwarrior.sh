#!/usr/bin/env bash
# touchbase next to Taskwarrior on books of the same sizes, in the same run.
#
# For each size (BENCH_SIZES, default 1000,10000,100000) it builds a touchbase demo book and
# a Taskwarrior data folder with one pending task per prospect (a lighter load than the
# book's history: Taskwarrior holds no touch log), then times, as whole processes, what a
# rep does every day on each: today's list, the first frame, logging a touch and undoing it,
# the numbers. Medians of RUNS runs (default 5). Before that it runs `cargo bench --bench
# speed` (skip with NO_CARGO_BENCH=1), whose in-app figures are printed after the table.
#
# Taskwarrior comes from Debian's packages (taskwarrior) when it is not installed.
set -euo pipefail

cd "$(dirname "$0")/.."
sizes=${BENCH_SIZES:-1000,10000,100000}
runs=${RUNS:-5}
now=2026-11-23T10:00

if ! command -v task >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq taskwarrior >/dev/null
fi

if [ -z "${NO_CARGO_BENCH:-}" ]; then
    BENCH_SIZES=$sizes cargo bench --bench speed >/dev/null
fi
cargo build --release --quiet
tb=$PWD/target/release/touchbase

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Milliseconds one run of the command takes, output discarded.
ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The median of RUNS runs of "setup; timed command; teardown" (setup and teardown untimed).
timed() {
    local setup=$1 teardown=$2
    shift 2
    for _ in $(seq "$runs"); do
        eval "$setup"
        ms "$@"
        eval "$teardown"
    done | median
}

# A Taskwarrior data folder of N pending tasks, one per prospect, 2% due today, written
# straight into its data file (importing 100,000 tasks one by one takes minutes).
taskwarrior_book() {
    local n=$1 dir=$2
    mkdir -p "$dir"
    local today entry
    today=$(date -d "${now%T*} 12:00" +%s)
    entry=$(date -d "${now%T*} 08:00" +%s)
    awk -v n="$n" -v today="$today" -v entry="$entry" 'BEGIN {
        for (i = 1; i <= n; i++) {
            due = (i % 50 == 0) ? today : today + 86400 * (1 + i % 30)
            printf "[description:\"Follow up Prospect%d at Company%d\" due:\"%d\" " \
                   "entry:\"%d\" modified:\"%d\" project:\"cold%d\" status:\"pending\" " \
                   "uuid:\"%08x-0000-4000-8000-%012x\"]\n", i, i % 500, due, entry, entry, i % 5, i, i
        }
    }' >"$dir/pending.data"
    : >"$dir/completed.data"
    : >"$dir/undo.data"
    printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nhooks=off\n' "$dir" >"$dir/rc"
}

printf '\n%-34s %10s %14s %14s %8s\n' "what (whole process, median ms)" prospects touchbase Taskwarrior ratio
IFS=, read -ra list <<<"$sizes"
for n in "${list[@]}"; do
    db=$work/tb-$n.db
    "$tb" --db "$db" --now "$now" demo --prospects "$n" --no-open >/dev/null 2>&1
    tw=$work/tw-$n
    taskwarrior_book "$n" "$tw"
    export TASKRC=$tw/rc TASKDATA=$tw
    # A ready email in today's queue, to log and undo.
    who=$("$tb" --db "$db" --now "$now" due | awk '$3 == "email" && !/NOT READY/ { print $1; exit }')

    row() {
        printf '%-34s %10s %14s %14s %8s\n' "$1" "$n" "$2" "$3" \
            "$(awk -v a="$2" -v b="$3" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else print "-" }')"
    }
    row "today's list" \
        "$(timed : : "$tb" --db "$db" --now "$now" due)" \
        "$(timed : : task due:today list)"
    row "first frame (app / list)" \
        "$(timed : : "$tb" --db "$db" --now "$now" screen)" \
        "$(timed : : task list)"
    row "log a touch / task done" \
        "$(timed : "$tb --db $db --now $now undo >/dev/null" "$tb" --db "$db" --now "$now" log "$who" sent)" \
        "$(timed : "task undo >/dev/null 2>&1" task 1 done)"
    row "undo it" \
        "$(timed "$tb --db $db --now $now log $who sent >/dev/null" : "$tb" --db "$db" --now "$now" undo)" \
        "$(timed "task 1 done >/dev/null 2>&1" : task undo)"
    row "stats / summary" \
        "$(timed : : "$tb" --db "$db" --now "$now" stats --json)" \
        "$(timed : : task summary)"
    row "search (in the app / task /re/)" \
        "$(awk -F'\t' -v n="$n" '$1 == "key: search keystroke" && $2 == n { printf "%.1f", $3 }' target/bench/speed.tsv 2>/dev/null || echo -)" \
        "$(timed : : task /Prospect4242/ list)"
done

if [ -f target/bench/speed.tsv ]; then
    printf '\nIn-process figures from cargo bench --bench speed (median ms):\n'
    awk -F'\t' '{ printf "  %-34s %8s prospects %10.2f\n", $1, $2, $3 }' target/bench/speed.tsv
fi
