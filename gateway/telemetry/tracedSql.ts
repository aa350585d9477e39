/**
 * A span for every statement and transaction of the hub's plain SQL, named by the statement's verb; the text
 * is an attribute (parameters never are: they carry names and ID numbers). Wrapped only when tracing is on.
 */
import { SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import type { Sql } from "../persistence/sql.js";

const tracer = trace.getTracer("enforcement-linkage-hub");

function spanned<T>(name: string, attributes: Record<string, string>, run: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span: Span) => {
    try {
      return await run();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

const verb = (text: string) => /^\s*(?:WITH\b[\s\S]*?\)\s*)?(\w+)/i.exec(text)?.[1]?.toUpperCase() ?? "SQL";

export function tracedSql(sql: Sql, system: string): Sql {
  const query: Sql["query"] = (text, params) =>
    spanned(`db ${verb(text)}`, { "db.system.name": system, "db.query.text": text.slice(0, 2000) }, () => sql.query(text, params));
  return {
    query,
    transaction: (fn) =>
      spanned("db transaction", { "db.system.name": system }, () =>
        sql.transaction((tx) =>
          fn({
            query: (text, params) =>
              spanned(`db ${verb(text)}`, { "db.system.name": system, "db.query.text": text.slice(0, 2000) }, () => tx.query(text, params)),
          }),
        ),
      ),
  };
}
