#!/usr/bin/env bash
# Fuzzes the statement parser, the CSV loader and the snapshot reader with libFuzzer and
# AddressSanitizer (Linux, Swift 6), each for a bounded time, and fails on the first crash.
#
#   Tests/Fuzz/fuzz.sh [seconds per target, default 60] [target ...]
#
# Targets: FuzzStatementParser, FuzzCSVLoader, FuzzSnapshotReader (default: all three). Each
# starts from its seeds in Tests/Fuzz/Corpus/ and keeps what it learns in .build-fuzz/corpus/;
# a crashing input is saved as .build-fuzz/crash-<target>-* and printed with the way to rerun it.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzStatementParser FuzzCSVLoader FuzzSnapshotReader)
scratch=.build-fuzz

declare -A seeds=([FuzzStatementParser]=statement [FuzzCSVLoader]=csv [FuzzSnapshotReader]=snapshot)
for target in "${targets[@]}"; do
    [ -n "${seeds[$target]:-}" ] || { echo "fuzz: unknown target '$target'" >&2; exit 2; }
done

echo "fuzz: building ${targets[*]} (release, -sanitize=fuzzer,address) in $scratch" >&2
for target in "${targets[@]}"; do
    CHURNCUBE_FUZZ=1 swift build -c release --scratch-path "$scratch" --product "$target" \
        -Xswiftc -sanitize=fuzzer,address >&2
done
binaries="$(CHURNCUBE_FUZZ=1 swift build -c release --scratch-path "$scratch" --show-bin-path \
    -Xswiftc -sanitize=fuzzer,address)"

# Swift's runtime keeps caches for the life of the process: leaks are not findings. Its own
# crash reporter would read memory under AddressSanitizer's watch; libFuzzer reports instead.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
status=0
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    mkdir -p "$corpus"
    log="$scratch/$target.log"
    echo "fuzz: $target for ${seconds}s" >&2
    if "$binaries/$target" "$corpus" "Tests/Fuzz/Corpus/${seeds[$target]}" -max_total_time="$seconds" \
        -timeout=20 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$scratch/crash-$target-" >"$log" 2>&1; then
        runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
        echo "fuzz: $target: no crash in ${seconds}s, $runs inputs run, corpus $(ls "$corpus" | wc -l) files" >&2
    else
        status=1
        echo "fuzz: $target CRASHED; the end of $log:" >&2
        tail -n 40 "$log" >&2
        for artifact in "$scratch"/crash-"$target"-*; do
            [ -e "$artifact" ] && echo "fuzz: rerun with: $binaries/$target $artifact" >&2
        done
    fi
done
exit "$status"
