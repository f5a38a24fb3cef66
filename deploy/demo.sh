#!/usr/bin/env bash
# The README's main job: local broker, a worker, the sample articles in, enriched articles out.
#   bash deploy/demo.sh        run it (make demo does the setup first)
#   bash deploy/demo.sh stop   stop the worker and the broker
# Every wait is bounded; the worker and broker keep running afterwards so you can look around.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RUN=var/demo
mkdir -p "$RUN"
export WIRESTREAM_WEB_PORT="${WIRESTREAM_WEB_PORT:-6066}"
WEB="http://${WIRESTREAM_WEB_HOST:-127.0.0.1}:${WIRESTREAM_WEB_PORT}"

stop_worker() {
  if [[ -f "$RUN/worker.pid" ]] && kill -0 "$(cat "$RUN/worker.pid")" 2>/dev/null; then
    kill "$(cat "$RUN/worker.pid")"
    for _ in $(seq 1 60); do kill -0 "$(cat "$RUN/worker.pid")" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$(cat "$RUN/worker.pid")" 2>/dev/null || true
  fi
  rm -f "$RUN/worker.pid"
}

if [[ "${1:-run}" == "stop" ]]; then
  stop_worker
  bash deploy/kafka/kafka.sh stop
  exit 0
fi

echo "== 1. Kafka broker (single-node KRaft on loopback)"
bash deploy/kafka/kafka.sh start

echo "== 2. Topics"
$BIN/wirestream topics

echo "== 3. Worker (log: $RUN/worker.log)"
stop_worker
WIRESTREAM_DATA_DIR="$RUN/state" nohup $BIN/wirestream worker >"$RUN/worker.log" 2>&1 &
echo $! >"$RUN/worker.pid"
for i in $(seq 1 240); do
  if curl -fsS "$WEB/ready" >/dev/null 2>&1; then echo "worker ready after ~$((i / 2)) s"; break; fi
  if ! kill -0 "$(cat "$RUN/worker.pid")" 2>/dev/null; then echo "worker died:"; tail -30 "$RUN/worker.log"; exit 1; fi
  if [[ $i == 240 ]]; then echo "worker not ready after 120 s:"; tail -30 "$RUN/worker.log"; exit 1; fi
  sleep 0.5
done

echo "== 4. Publish the sample articles, and a few malformed messages"
$BIN/wirestream produce --quiet samples/articles.jsonl
$BIN/wirestream produce --quiet --no-validate samples/malformed.jsonl 2>/dev/null || true

echo "== 5. Dead letters (articles.dlq)"
$BIN/wirestream consume articles.dlq --from-beginning --limit 5 --timeout 60 --pretty

echo "== 6. Enriched articles (articles.enriched)"
$BIN/wirestream consume articles.enriched --from-beginning --limit 12 --timeout 90 --pretty

echo "== 7. Who is quoted: the live aggregates (top speakers today, from the worker's query API)"
for i in $(seq 1 120); do
  if $BIN/wirestream top speakers --limit 10 2>/dev/null | grep -q "Okafor"; then break; fi
  if [[ $i == 120 ]]; then echo "the aggregates did not show the samples' speakers in 60 s:"; tail -30 "$RUN/worker.log"; exit 1; fi
  sleep 0.5
done
$BIN/wirestream top speakers --limit 10
$BIN/wirestream who "Chidi Okafor" | head -8

cat <<MSG

Where to look next:
  metrics     $WEB/metrics   (Prometheus text format)
  readiness   $WEB/ready     health: $WEB/health
  raw JSON    $BIN/wirestream consume articles.enriched --from-beginning --limit 1
  fan-out     $BIN/wirestream consume statements --from-beginning --pretty   (and: entities)
  worker log  $RUN/worker.log
  who/top     $BIN/wirestream who "Chidi Okafor"    $BIN/wirestream top entities --window 1h
  query API   $WEB/api/top/speakers?window=1d   (docs/aggregates.md)
  stop all    make stop

The page (top speakers and entities, trending, the live feed, articles, speakers):
  $WEB/ui/
MSG
