#!/usr/bin/env bash
# Posts the GraphQL document on stdin to the hub with curl, as the bearer of $TOKEN, and prints the reply.
# With a path (data.case.assets[__typename=VehicleAsset].id) it prints only that value, asking again for up to
# 30 s while the value is absent, because agencies answer asynchronously. Exits 1 when the reply carries errors,
# so the guides (docs/guide) fail loudly and tests/docs/guides.test.ts can run them. The hub: GRAPHQL_URL, default
# http://localhost:$PORT (PORT default 4000).
set -euo pipefail
url="${GRAPHQL_URL:-http://localhost:${PORT:-4000}}/graphql"
# JSON-escaped here rather than by node: the guides call this often, and one process less each time counts.
query=$(cat)
query=${query//\\/\\\\}
query=${query//\"/\\\"}
query=${query//$'\n'/\\n}
query=${query//$'\t'/\\t}
body="{\"query\":\"$query\"}"
for attempt in $(seq 1 60); do
  reply=$(curl -sS "$url" -H 'content-type: application/json' -H "authorization: Bearer ${TOKEN:-}" --data-binary "$body")
  if node "$(dirname "$0")/graphqlReply.mjs" "$reply" "${1:-}"; then exit 0; else status=$?; fi
  [ "$status" -eq 3 ] || exit 1
  sleep 0.5
done
echo "gql.sh: nothing at $1 after 30 s; the last reply was: $reply" >&2
exit 1
