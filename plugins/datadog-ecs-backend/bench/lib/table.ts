/* eslint-disable no-console */
/**
 * The one table `yarn bench` prints: every figure with the floor or peer it is compared with
 * (measured or computed in the same run), the ratio, the target and whether it is met.
 */

/** What a figure is compared with. */
export interface Reference {
  /** e.g. `minimum`, `token-bucket floor`, `naive peer`, `1k per instance`. */
  label: string;
  value: number;
}

export interface Row {
  /** The group of rows, e.g. `inventory 10k (scale:100x100@2)`. */
  section: string;
  figure: string;
  value: number;
  unit: string;
  reference?: Reference;
  /** The largest acceptable ratio (value ÷ reference), or value when `absolute`. */
  target?: number;
  /** The target applies to the value itself (e.g. peak RSS ≤ 400 MB), not to the ratio. */
  absolute?: boolean;
  /** Extra text printed after the row (what the figure means, what stops it). */
  note?: string;
}

/** A benchmark module: runs, returns its rows. */
export interface Benchmark {
  name: string;
  /** One line: what it measures. */
  description: string;
  run(options: BenchOptions): Promise<Row[]>;
}

export interface BenchOptions {
  /** Fleet sizes to run: `1k`, `10k`, `30k`. */
  sizes: string[];
  /** Run the naive peer. */
  peer: boolean;
  /** The sizes at which the naive peer also runs with injected latency. */
  peerLatencySizes: string[];
  /** `--memory`: the inventory runs only what its memory figures need (no latency, no throttling). */
  memoryOnly?: boolean;
  log: (message: string) => void;
}

export const ratioOf = (row: Row): number | undefined =>
  row.reference && row.reference.value > 0
    ? row.value / row.reference.value
    : undefined;

/** undefined: no target. */
export function metOf(row: Row): boolean | undefined {
  if (row.target === undefined) return undefined;
  if (row.absolute) return row.value <= row.target;
  const ratio = ratioOf(row);
  if (ratio === undefined) return row.value === 0 && row.target >= 0;
  return ratio <= row.target;
}

function formatNumber(value: number, unit: string): string {
  const abs = Math.abs(value);
  let text: string;
  if (Number.isInteger(value) && abs >= 1) text = value.toLocaleString('en-US');
  else if (abs >= 100) text = value.toFixed(0);
  else if (abs >= 10) text = value.toFixed(1);
  else if (abs >= 0.1 || value === 0) text = value.toFixed(2);
  else text = value.toPrecision(2);
  return unit ? `${text} ${unit}` : text;
}

export function formatRows(rows: Row[]): string {
  const header = ['figure', 'value', 'floor / peer', 'ratio', 'target', 'met'];
  const lines: string[][] = [];
  const sections: Array<{
    section: string;
    rows: string[][];
    notes: string[];
  }> = [];
  for (const row of rows) {
    let section = sections.find(s => s.section === row.section);
    if (!section) {
      section = { section: row.section, rows: [], notes: [] };
      sections.push(section);
    }
    const ratio = ratioOf(row);
    const met = metOf(row);
    let target = '';
    if (row.target !== undefined) {
      if (row.absolute) target = `≤ ${formatNumber(row.target, row.unit)}`;
      else target = row.target === 0 ? '0' : `≤ ${row.target}×`;
    }
    const cells = [
      row.figure,
      formatNumber(row.value, row.unit),
      row.reference
        ? `${row.reference.label} ${formatNumber(
            row.reference.value,
            row.unit,
          )}`
        : '',
      ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
      target,
      { true: 'yes', false: 'NO', undefined: '' }[String(met)]!,
    ];
    section.rows.push(cells);
    lines.push(cells);
    if (row.note) section.rows.push([`  ↳ ${row.note}`]);
  }
  const widths = header.map((h, i) =>
    Math.max(h.length, ...lines.map(l => (l[i] ?? '').length)),
  );
  const fmt = (cells: string[]) =>
    cells.length === 1
      ? cells[0]
      : cells
          .map((c, i) =>
            i === 1 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]),
          )
          .join('  ')
          .trimEnd();
  const out = [fmt(header), widths.map(w => '-'.repeat(w)).join('  ')];
  for (const section of sections) {
    out.push('', `== ${section.section}`);
    for (const cells of section.rows) out.push(fmt(cells));
  }
  return out.join('\n');
}

export function printRows(rows: Row[]) {
  console.log(formatRows(rows));
}
