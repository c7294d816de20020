/**
 * CSV as RFC 4180 writes it (comma, CRLF, quotes doubled), with one guard more: a cell that a
 * spreadsheet would read as a formula (= + - @, tab, CR) is prefixed with ' (OWASP "CSV
 * injection"), since service names come from content files others edit.
 */
export interface CsvDialect {
  separator: ',' | ';';
  decimal: '.' | ',';
}

/** Plain CSV for programs: comma, dot decimals. */
export const plainCsv: CsvDialect = { separator: ',', decimal: '.' };
/**
 * What Excel opens as columns on an Indonesian Windows (list separator `;`, decimal comma): the
 * regional settings decide how a double-clicked .csv is split, and the BOM makes it read UTF-8.
 * No `sep=;` line: with it Excel ignores the BOM and garbles names.
 */
export const excelIdCsv: CsvDialect = { separator: ';', decimal: ',' };

type Cell = string | number | undefined;

export function csvCell(value: Cell, dialect: CsvDialect = plainCsv): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', dialect.decimal) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  const special = dialect.separator === ';' ? /[";\r\n]/ : /[",\r\n]/;
  return special.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly Cell[], dialect: CsvDialect = plainCsv): string {
  return cells.map((c) => csvCell(c, dialect)).join(dialect.separator);
}

/** Rows joined with CRLF, led by a byte-order mark so spreadsheet programs read UTF-8 names right. */
export function csvDocument(rows: ReadonlyArray<readonly Cell[]>, dialect: CsvDialect = plainCsv): string {
  return '\ufeff' + rows.map((r) => csvRow(r, dialect)).join('\r\n') + '\r\n';
}
