#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Replays the committed lab traces through both predictors (first-order chain, dwell-aware) and prints
# the markdown tables of docs/evaluation/signal/dwell.md. Offline: needs only plugin/target/migov.jar.
#   docs/evaluation/signal/dwell/replay.sh [JAR] > docs/evaluation/signal/dwell.md.tables
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../../../../plugin/target/migov.jar}
[ -f "$jar" ] || { echo "replay: $jar not found; build with: mvn -B -DskipTests package" >&2; exit 1; }
for trace in "$here"/../traces/*.csv; do
    name=$(basename "$trace" .csv)
    echo "### $name"
    echo
    echo "| state space | predictor | k=1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    for space in usage write usage+write; do
        for predictor in chain dwell persistence; do
            echo "replay: $name, $space, $predictor" >&2
            field=accuracy
            p=$predictor
            if [ "$predictor" = persistence ]; then field=persistence; p=chain; fi
            java -jar "$jar" predict --trace "$trace" --lookahead 10 --state-space "$space" --predictor "$p" \
                | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" | ".join("%.3f" % x for x in d[sys.argv[1]]))' "$field" \
                | sed "s/^/| $space | $predictor | /; s/\$/ |/"
        done
    done
    echo
done
