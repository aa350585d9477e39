/** A list as the console shows every list: a title, its rows, a CSV export of what is shown, and a note when it was cut. */
import type { ReactNode } from "react";
import { type Column, downloadCsv } from "./csv";

export interface TableColumn<T> extends Column<T> {
  /** How the cell shows; default the exported value. */
  render?: (row: T) => ReactNode;
  numeric?: boolean;
}

export function DataTable<T>(props: {
  title: string;
  /** The export's file name. */
  name: string;
  rows: readonly T[] | undefined;
  columns: readonly TableColumn<T>[];
  empty?: string;
  rowClass?: (row: T) => string | undefined;
  testId?: string;
}) {
  const { title, name, rows, columns } = props;
  return (
    <section className="panel" data-testid={props.testId}>
      <header className="panel-head">
        <h2>
          {title}
          {rows && <span className="count">{rows.length} 条</span>}
        </h2>
        <button type="button" className="secondary" disabled={!rows?.length} onClick={() => rows && downloadCsv(name, rows, columns)}>
          导出 CSV
        </button>
      </header>
      {!rows ? (
        <p className="muted">加载中…</p>
      ) : rows.length === 0 ? (
        <p className="muted">{props.empty ?? "无记录"}</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.key} className={column.numeric ? "num" : undefined}>
                    {column.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                // Rows have no common key; their order is the hub's and stable between polls.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <tr key={index} className={props.rowClass?.(row)}>
                  {columns.map((column) => (
                    <td key={column.key} className={column.numeric ? "num" : undefined}>
                      {column.render ? column.render(row) : (column.value(row) ?? "—")}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length >= 500 && <p className="muted">仅显示前 500 条</p>}
        </div>
      )}
    </section>
  );
}

export function Refused(props: { error?: Error }) {
  return props.error ? (
    <p className="refused" role="alert">
      {props.error.message}
    </p>
  ) : null;
}
