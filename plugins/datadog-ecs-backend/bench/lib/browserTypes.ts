/**
 * What the browser benchmark (benchmarks/browser.ts) sends its driver (e2e/bench/portalTimings.ts,
 * which runs Playwright, a dependency of the repository's root, not of this package) and what it
 * gets back.
 */

/**
 * What the page waits for: `card` (a cluster card), `cards:<n>:<name>` (n cards, all of that
 * cluster), `row` (an instance row), `rows:<n>:<text>` (n instance rows, all containing text),
 * `css:<selector>`, `dd:<term>:<value>` (a description list's term with that value).
 */
export type Condition = string;

export interface LoadSpec {
  path: string;
  /** The condition that ends the load (first cards, first rows, the trivial page's content). */
  until: Condition;
  /**
   * Then, optionally: type `text` into the textbox named `box` (or paste it: one input event)
   * until `until` holds.
   */
  search?: { box: string; text: string; until: Condition; paste?: boolean };
}

export interface DriverInput {
  baseUrl: string;
  executablePath?: string;
  runs: number;
  /** Waited for (in a warm-up page) before anything is timed, e.g. the fleet totals. */
  ready: { path: string; until: Condition; timeoutMs: number };
  loads: Record<string, LoadSpec>;
}

export interface ResourceTiming {
  name: string;
  /** ms since navigation start. */
  startTime: number;
  /** Request sent → first byte (the server's time). */
  ttfbMs: number;
  durationMs: number;
  transferBytes: number;
  decodedBytes: number;
}

export interface LoadRun {
  /** Navigation start → condition met (next frame). */
  ms: number;
  /** The datadog-ecs API calls of the load. */
  api: ResourceTiming[];
  /** The JavaScript files fetched until the condition held (URL paths). */
  scripts: string[];
  /** JavaScript transferred (bytes over the wire) until the condition held. */
  scriptBytes: number;
  scriptDecodedBytes: number;
  /** Main-thread long tasks (> 50 ms) until the condition held: count and total ms. */
  longTasks: { count: number; ms: number };
  search?: {
    /** Last keystroke → match shown (next frame). */
    ms: number;
    /** The longest keystroke → next frame. */
    maxKeystrokeMs: number;
    /** The API calls made after the first keystroke. */
    api: ResourceTiming[];
    longTasks: { count: number; ms: number };
  };
}

export type DriverOutput = Record<string, LoadRun[]>;
