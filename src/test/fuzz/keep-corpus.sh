#!/bin/sh
# Keeps the interesting inputs of a long fuzzing run in the committed corpus (docs/security.md):
# runs libFuzzer's merge over the grown corpus (.cifuzz-corpus/CLASS/METHOD) with Jazzer's standalone
# driver, then copies the fewest inputs that cover every edge the run reached into
# src/test/resources/<package>/<Class>Inputs/<method>/ as corpus-<sha1 prefix>.
#   src/test/fuzz/keep-corpus.sh dev.wgdiag.pcap.CaptureReaderFuzzTest readsAnyCapture
set -eu
cls=$1; method=$2
cd "$(dirname "$0")/../../.."
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/fuzz-cp.txt -Dmdep.includeScope=test
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/merged"
java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/fuzz-cp.txt)" -Dwgdiag.projectDir="$PWD" \
    com.code_intelligence.jazzer.Jazzer --target_class="$cls" --target_method="$method" \
    -merge=1 -merge_control_file="$work/control" "$work/merged" ".cifuzz-corpus/$cls/$method" > "$work/log" 2>&1 \
    || { tail -20 "$work/log"; exit 1; }
pkg=$(echo "${cls%.*}" | tr . /)
python3 src/test/fuzz/mincov.py "$work/control" "src/test/resources/$pkg/${cls##*.}Inputs/$method"
