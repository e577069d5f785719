/**
 * The browser side of `yarn bench --only browser` (issue 15 item 5; docs/benchmarks.md): forked by
 * plugins/datadog-ecs-backend/bench/benchmarks/browser.ts once the production build is served by
 * the backend, it drives headless Chromium through Playwright and sends back what it timed:
 *
 * - page loads, each in a new browser context (an empty HTTP cache) signed in as guest: the time
 *   from navigation start until a condition holds in the DOM and the next frame has run;
 * - searches: the time from the last keystroke's `input` event until the list or table shows the
 *   match alone, and the longest keystroke-to-next-frame delay while typing.
 *
 * Conditions are checked by a MutationObserver in the page (`window.__bench`), so the times come
 * from the page's own clock (`performance.now()`, event time stamps), not from Playwright's polling.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../chromium';
import type {
  Condition,
  DriverInput,
  DriverOutput,
  LoadRun,
  LoadSpec,
  ResourceTiming,
} from '../../plugins/datadog-ecs-backend/bench/lib/browserTypes';

/** Runs in the page before its scripts (a context init script). */
function installProbe() {
  type Probe = {
    marks: Record<string, number>;
    inputs: number[];
    keystrokes: number[];
    longTasks: Array<[number, number]>;
    watch: (name: string, condition: string) => void;
  };
  const w = window as unknown as { __bench: Probe; __benchUntil?: string };
  const cards = () =>
    Array.from(document.querySelectorAll('article[aria-label^="Cluster "]'));
  const instanceRows = () =>
    Array.from(document.querySelectorAll('tbody tr')).filter(tr =>
      /\bi-[0-9a-f]{8,}/.test(tr.textContent ?? ''),
    );
  const test = (condition: string): boolean => {
    const [kind, count, ...rest] = condition.split(':');
    if (kind === 'card') return cards().length > 0;
    if (kind === 'row') return instanceRows().length > 0;
    if (kind === 'css') {
      return !!document.querySelector([count, ...rest].join(':'));
    }
    const arg = rest.join(':');
    if (kind === 'dd') {
      return Array.from(document.querySelectorAll('dt')).some(
        dt =>
          dt.textContent === count &&
          dt.nextElementSibling?.textContent === arg,
      );
    }
    if (kind === 'cards') {
      const all = cards();
      return (
        all.length === Number(count) &&
        all.every(c => c.getAttribute('aria-label') === `Cluster ${arg}`)
      );
    }
    if (kind === 'rows') {
      const all = instanceRows();
      return (
        all.length === Number(count) &&
        all.every(tr => (tr.textContent ?? '').includes(arg))
      );
    }
    throw new Error(`unknown condition ${condition}`);
  };
  const afterFrame = (then: (t: number) => void) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => then(performance.now());
      channel.port2.postMessage(undefined);
    });
  const pending = new Map<string, string>();
  /** The searches' conditions: met again after each keystroke (the first time after the last one counts). */
  const searches = new Map<string, string>();
  let generation = 0;
  const probe: Probe = {
    marks: {},
    inputs: [],
    keystrokes: [],
    longTasks: [],
    watch(name, condition) {
      if (name !== 'load') searches.set(name, condition);
      pending.set(name, condition);
      check();
    },
  };
  w.__bench = probe;
  function check() {
    for (const [name, condition] of pending) {
      if (document.body && test(condition)) {
        pending.delete(name);
        const at = generation;
        afterFrame(t => {
          if (at === generation) probe.marks[name] = t;
        });
      }
    }
  }
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
  });
  document.addEventListener(
    'input',
    e => {
      generation++;
      for (const [name, condition] of searches) {
        delete probe.marks[name];
        pending.set(name, condition);
      }
      probe.inputs.push(e.timeStamp);
      const at = e.timeStamp;
      afterFrame(t => probe.keystrokes.push(t - at));
      // The page handles the event after this listener (capture phase): check once it has.
      setTimeout(check, 0);
    },
    true,
  );
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) {
        probe.longTasks.push([e.startTime, e.duration]);
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no Long Tasks API: counts stay 0
  }
  if (w.__benchUntil) probe.watch('load', w.__benchUntil);
}

async function waitForMark(page: Page, name: string, timeoutMs = 60_000) {
  await page.waitForFunction(
    n => (window as any).__bench?.marks[n] !== undefined,
    name,
    { timeout: timeoutMs, polling: 100 },
  );
  return page.evaluate(n => (window as any).__bench.marks[n] as number, name);
}

async function apiTimings(
  page: Page,
  since: number,
): Promise<ResourceTiming[]> {
  return page.evaluate(
    s =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter(e => e.name.includes('/api/datadog-ecs/') && e.startTime >= s)
        .map(e => ({
          name: new URL(e.name).pathname + new URL(e.name).search,
          startTime: e.startTime,
          ttfbMs: e.responseStart - e.requestStart,
          durationMs: e.responseEnd - e.startTime,
          transferBytes: e.transferSize,
          decodedBytes: e.decodedBodySize,
        })),
    since,
  );
}

async function longTasks(page: Page, from: number, to: number) {
  const tasks = await page.evaluate(
    () => (window as any).__bench.longTasks as Array<[number, number]>,
  );
  const within = tasks.filter(([start]) => start >= from && start <= to);
  return {
    count: within.length,
    ms: within.reduce((n, [, d]) => n + d, 0),
  };
}

async function signIn(browser: Browser, baseUrl: string) {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter as guest' }).click();
  await page
    .getByRole('link', { name: 'Datadog on ECS' })
    .waitFor({ timeout: 60_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

async function newContext(
  browser: Browser,
  input: DriverInput,
  state: Awaited<ReturnType<typeof signIn>>,
  until: Condition,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: input.baseUrl,
    storageState: state,
    viewport: { width: 1440, height: 900 },
  });
  await context.addInitScript(
    `window.__benchUntil = ${JSON.stringify(until)};`,
  );
  await context.addInitScript(installProbe);
  return context;
}

/**
 * BENCH_BROWSER_PROF=<dir>: a Chromium CPU profile of each timed load, from navigation to its mark
 * (open it in Chrome DevTools; the build's source maps are in packages/app/dist/static).
 */
async function startProfiler(context: BrowserContext, page: Page) {
  const dir = process.env.BENCH_BROWSER_PROF;
  if (!dir) return undefined;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  return {
    async stop(path: string) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      const name = `${path.replace(
        /[^a-z0-9]+/gi,
        '_',
      )}.${Date.now()}.cpuprofile`;
      writeFileSync(join(dir, name), JSON.stringify(profile));
    },
  };
}

async function timeLoad(
  browser: Browser,
  input: DriverInput,
  state: Awaited<ReturnType<typeof signIn>>,
  spec: LoadSpec,
): Promise<LoadRun> {
  const context = await newContext(browser, input, state, spec.until);
  try {
    const page = await context.newPage();
    const profiler = await startProfiler(context, page);
    await page.goto(spec.path, { waitUntil: 'commit' });
    const ms = await waitForMark(page, 'load');
    await profiler?.stop(spec.path);
    const scripts = await page.evaluate(
      end =>
        (
          performance.getEntriesByType(
            'resource',
          ) as PerformanceResourceTiming[]
        )
          .filter(e => e.initiatorType === 'script' && e.responseEnd <= end)
          .map(e => ({
            path: new URL(e.name).pathname,
            transfer: e.transferSize,
            decoded: e.decodedBodySize,
          })),
      ms,
    );
    const run: LoadRun = {
      ms,
      api: await apiTimings(page, 0),
      scripts: scripts.map(x => x.path),
      scriptBytes: scripts.reduce((n, x) => n + x.transfer, 0),
      scriptDecodedBytes: scripts.reduce((n, x) => n + x.decoded, 0),
      longTasks: await longTasks(page, 0, ms),
    };
    if (spec.search) {
      // Let the page settle (the first answer rendered, nothing in flight) before typing.
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      const box = page.getByRole('textbox', { name: spec.search.box });
      const typingFrom = await page.evaluate(() => performance.now());
      await page.evaluate(
        ([name, condition]) => (window as any).__bench.watch(name, condition),
        ['search', spec.search.until],
      );
      if (spec.search.paste) await box.fill(spec.search.text);
      // A quick typist: 80 ms between keys, under the portal's 300 ms debounce.
      else await box.pressSequentially(spec.search.text, { delay: 80 });
      const end = await waitForMark(page, 'search');
      const probe = await page.evaluate(() => {
        const b = (window as any).__bench;
        return {
          inputs: b.inputs as number[],
          keystrokes: b.keystrokes as number[],
        };
      });
      const lastInput = Math.max(...probe.inputs);
      run.search = {
        ms: end - lastInput,
        maxKeystrokeMs: Math.max(0, ...probe.keystrokes),
        api: await apiTimings(page, typingFrom),
        longTasks: await longTasks(page, typingFrom, end),
      };
    }
    return run;
  } finally {
    await context.close();
  }
}

async function main(input: DriverInput): Promise<DriverOutput> {
  const browser = await chromium.launch({
    executablePath: input.executablePath,
    args: CHROMIUM_ARGS,
  });
  try {
    const state = await signIn(browser, input.baseUrl);
    // Warm-up: the inventory is served (the first refresh is done) and the server's code paths ran.
    const warm = await newContext(browser, input, state, input.ready.until);
    const page = await warm.newPage();
    await page.goto(input.ready.path, { waitUntil: 'commit' });
    await waitForMark(page, 'load', input.ready.timeoutMs);
    await warm.close();
    const out: DriverOutput = {};
    for (const [name, spec] of Object.entries(input.loads)) {
      out[name] = [];
      // One untimed load of each page first, so every timed run meets the same warm server.
      await timeLoad(browser, input, state, spec);
      for (let i = 0; i < input.runs; i++) {
        out[name].push(await timeLoad(browser, input, state, spec));
      }
    }
    return out;
  } finally {
    await browser.close();
  }
}

process.once('message', (input: DriverInput) => {
  main(input).then(
    result => process.send!({ result }, () => process.exit(0)),
    error =>
      process.send!({ error: String(error?.stack ?? error) }, () =>
        process.exit(1),
      ),
  );
});
