/**
 * CSV as RFC 4180 writes it (comma, CRLF, quotes doubled), with one guard more: a cell that a
 * spreadsheet would read as a formula (= + - @, tab, CR) is prefixed with ' (OWASP "CSV
 * injection"), since service names come from content files others edit.
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: ReadonlyArray<string | number | undefined>): string {
  return cells.map(csvCell).join(',');
}

/** Rows joined with CRLF, led by a byte-order mark so spreadsheet programs read UTF-8 names right. */
export function csvDocument(rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): string {
  return '\ufeff' + rows.map(csvRow).join('\r\n') + '\r\n';
}
