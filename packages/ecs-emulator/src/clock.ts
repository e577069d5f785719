/** @public */
export type ClockOptions =
  | { mode: 'manual'; start?: number | string }
  | { mode: 'realtime'; speed?: number; start?: number | string };

/**
 * Simulated time. Manual: moves only when advanced. Realtime: follows the wall
 * clock multiplied by `speed`; `advance` jumps ahead in both modes.
 */
export class SimClock {
  readonly mode: 'manual' | 'realtime';
  readonly speed: number;
  private readonly start: number;
  private readonly realStart = Date.now();
  private offset = 0;

  constructor(options: ClockOptions, defaultStart: number) {
    this.mode = options.mode;
    this.speed = options.mode === 'realtime' ? options.speed ?? 1 : 0;
    const s = options.start;
    if (s === undefined) {
      this.start = defaultStart;
    } else {
      this.start = typeof s === 'number' ? s : Date.parse(s);
    }
    if (!Number.isFinite(this.start)) {
      throw new Error(`Invalid clock start '${String(s)}'`);
    }
  }

  now(): number {
    const elapsed =
      this.mode === 'realtime' ? (Date.now() - this.realStart) * this.speed : 0;
    return Math.floor(this.start + elapsed + this.offset);
  }

  advance(ms: number) {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new Error('advance expects a non-negative number of milliseconds');
    }
    this.offset += ms;
  }
}
