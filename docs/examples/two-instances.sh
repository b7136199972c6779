#!/usr/bin/env bash
# Two Handoff instances on one PostgreSQL and one Redis, on this machine — what a load
# balancer would spread requests over. Run from the repository root after `npm install`:
#
#   bash docs/examples/two-instances.sh
#
# Every setting can be overridden from the environment (the test in test/docs-example.test.ts
# does, to use a database and ports of its own).
set -euo pipefail

POSTGRES="${POSTGRES:-postgres://postgres@127.0.0.1:5432}"   # the server, without a database
DB_NAME="${DB_NAME:-handoff_example}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
PORT_A="${PORT_A:-8081}"
PORT_B="${PORT_B:-8082}"
export DATABASE_URL="$POSTGRES/$DB_NAME" REDIS_URL REDIS_PREFIX="${REDIS_PREFIX:-$DB_NAME:}" HANDOFF_DEMO=0 LOG_LEVEL=warn

echo "1. a database for Handoff: $DB_NAME"
psql "$POSTGRES/postgres" -qc "create database $DB_NAME" 2>/dev/null || echo "   (it exists already)"

echo "2. migrations, once, before the instances start (they would also run them, under a lock)"
npx handoff migrate

echo "3. two instances on ports $PORT_A and $PORT_B"
PORT=$PORT_A node --import tsx src/main.ts & A=$!
PORT=$PORT_B node --import tsx src/main.ts & B=$!
trap 'kill -TERM $A $B 2>/dev/null; wait $A $B 2>/dev/null' EXIT
for port in $PORT_A $PORT_B; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
  echo "   127.0.0.1:$port ready: $(curl -s "http://127.0.0.1:$port/health/ready")"
done

echo "4. an organization, an agent and a chat"
ORG=$(npx handoff org create --name "Example $$" --json)
ORG_ID=$(node -pe 'JSON.parse(process.argv[1]).id' "$ORG")
KEY=$(node -pe 'JSON.parse(process.argv[1]).apiKey' "$ORG")
AGENT=$(npx handoff agent create --org "$ORG_ID" --name Ann --email "ann$$@example.test" --role agent --json)
AGENT_ID=$(node -pe 'JSON.parse(process.argv[1]).id' "$AGENT")
APP_ID=$(curl -s "http://127.0.0.1:$PORT_A/v1/applications" -H "Authorization: Bearer $KEY" | node -pe 'JSON.parse(require("fs").readFileSync(0)).data[0].id')
CUSTOMER_ID=$(curl -s -X POST "http://127.0.0.1:$PORT_A/v1/customers" -H "Authorization: Bearer $KEY" -d '{"name":"Dana"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
CHAT_ID=$(curl -s -X POST "http://127.0.0.1:$PORT_A/v1/chats" -H "Authorization: Bearer $KEY" -d "{\"customer\":$CUSTOMER_ID,\"application\":$APP_ID}" | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')

echo "5. assign through instance A, read through instance B"
curl -s -X PUT "http://127.0.0.1:$PORT_A/v1/chats/assignee" -H "Authorization: Bearer $KEY" -d "{\"id\":$CHAT_ID,\"assignee\":$AGENT_ID}" >/dev/null
ASSIGNEE=$(curl -s "http://127.0.0.1:$PORT_B/v1/chats/$CHAT_ID" -H "Authorization: Bearer $KEY" | node -pe 'JSON.parse(require("fs").readFileSync(0)).assignee.id')
echo "   chat $CHAT_ID is assigned to agent $ASSIGNEE on both instances"
test "$ASSIGNEE" = "$AGENT_ID"

echo "6. the rate limit is the organization's, whichever instance counts it"
echo "   A says $(curl -s -D - -o /dev/null "http://127.0.0.1:$PORT_A/v1/agents" -H "Authorization: Bearer $KEY" | grep -i '^ratelimit-remaining' | tr -d '\r')"
echo "   B says $(curl -s -D - -o /dev/null "http://127.0.0.1:$PORT_B/v1/agents" -H "Authorization: Bearer $KEY" | grep -i '^ratelimit-remaining' | tr -d '\r')"
echo "done"
