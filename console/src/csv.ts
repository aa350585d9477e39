/** CSV export of a list as shown, with a byte-order mark so that spreadsheet programs read the Chinese correctly. */
export interface Column<T> {
  key: string;
  title: string;
  value: (row: T) => string | number | null | undefined;
}

const cell = (value: string | number | null | undefined) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((c) => cell(c.title)), ...rows.map((row) => columns.map((c) => cell(c.value(row))))];
  return `\uFEFF${lines.map((line) => line.join(",")).join("\r\n")}\r\n`;
}

export function downloadCsv<T>(name: string, rows: readonly T[], columns: readonly Column<T>[]): void {
  const url = URL.createObjectURL(new Blob([toCsv(rows, columns)], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `${name}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}
