/**
 * The read-only statements behind the queue gauges of /metrics, in one place (as pg-boss keeps its plans): how
 * many rows wait in each open state of a lifecycle and how old the oldest is. Open states come from the
 * lifecycle tables, so a new state is measured without touching this file.
 */
import { agencyRequestLifecycle } from "../../domain/inquiry/agencyRequestLifecycle.js";
import { measureLifecycle } from "../../domain/measures/measureLifecycle.js";
import { sqlList } from "../persistence/lifecycleSql.js";
import type { Sql } from "../persistence/sql.js";

export interface QueueDepth {
  labels: Record<string, string>;
  count: number;
  oldestAgeSeconds: number;
}

interface Row {
  a: string;
  b: string;
  count: number;
  age: number | string | null;
}

const toDepths = (rows: Row[], first: string, second: string): QueueDepth[] =>
  rows.map((row) => ({ labels: { [first]: row.a, [second]: row.b }, count: row.count, oldestAgeSeconds: Number(row.age ?? 0) }));

export async function agencyRequestDepths(sql: Sql): Promise<QueueDepth[]> {
  const rows = await sql.query<Row>(
    `SELECT agency_kind AS a, status::text AS b, count(*)::int AS count,
            extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM agency_request WHERE status::text IN (${sqlList(agencyRequestLifecycle.openStatuses)}) GROUP BY 1, 2`,
  );
  return toDepths(rows, "agency", "status");
}

export async function measureDepths(sql: Sql): Promise<QueueDepth[]> {
  const rows = await sql.query<Row>(
    `SELECT kind::text AS a, status::text AS b, count(*)::int AS count,
            extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM measure WHERE status::text IN (${sqlList(measureLifecycle.openStatuses)}) GROUP BY 1, 2`,
  );
  return toDepths(rows, "kind", "status");
}

export async function peerOutboxDepths(sql: Sql): Promise<QueueDepth[]> {
  const rows = await sql.query<Row>(
    `SELECT to_hub AS a, status::text AS b, count(*)::int AS count,
            extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM peer_outbox WHERE status = 'PENDING' GROUP BY 1, 2`,
  );
  return toDepths(rows, "peer", "status");
}
