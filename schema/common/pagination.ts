/**
 * Relay-style cursor connections. Cursors are opaque to clients: base64url of
 * the row's creation time and id, which orders stably even as rows arrive.
 */
import { type ClassType, Field, Int, ObjectType } from "type-graphql";
import { invalidField } from "../../gateway/errors.js";

@ObjectType({ description: "Where a page ends, for asking the next one." })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => node) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads a cursor back. The id must have the shape of the paged rows' ids (UUIDs by default; the audit
 * trail's are integers): a forged or mangled cursor is the client's error, and must not reach the
 * database as a value its column cannot hold, which would surface as an internal server error.
 */
export function decodeCursor(cursor: string, idPattern: RegExp = UUID): CursorPosition {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at);
  if (!id || rest.length > 0 || !idPattern.test(id) || Number.isNaN(createdAt.getTime())) {
    throw invalidField("after", "not a cursor this hub issued");
  }
  return { createdAt, id };
}

export const MAX_PAGE = 100;

export function pageSize(first: number | undefined): number {
  if (first === undefined) return 20;
  if (first < 1 || first > MAX_PAGE) throw invalidField("first", `must be between 1 and ${MAX_PAGE}`);
  return first;
}

/** Builds a page from rows fetched with `take: size + 1` in (createdAt, id) order. */
export function toConnection<T extends { createdAt: Date; id: string }>(rows: T[], size: number): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Prisma `where` fragment for rows after a cursor in (createdAt, id) ascending order. */
export function afterCursor(after: string | undefined) {
  if (!after) return {};
  const { createdAt, id } = decodeCursor(after);
  return { OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gt: id } }] };
}

export { Int };
