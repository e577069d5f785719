/**
 * A bench child process spoken to over IPC: forked with the TypeScript transform the repo's scripts
 * use (and, with BENCH_CPU_PROF=<dir>, a CPU profile of it), one command at a time, each answered
 * by `{ id, result | error }`. The child side is {@link serveCommands}.
 */
import { ChildProcess, fork } from 'node:child_process';

export class Child<Command extends { type: string }> {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: Error) => void }
  >();

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
  ) {
    child.on(
      'message',
      (m: { id: number; result?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.reject(new Error(m.error));
        else p.resolve(m.result);
      },
    );
    child.on('exit', code => {
      for (const p of this.pending.values()) {
        p.reject(new Error(`bench child ${name} exited (${code})`));
      }
      this.pending.clear();
    });
  }

  /** Forks `script` (a .ts file); `profile`: write a CPU profile when BENCH_CPU_PROF is set. */
  static fork<C extends { type: string }>(
    script: string,
    options: { profile?: boolean; env?: NodeJS.ProcessEnv } = {},
  ): Child<C> {
    const profileDir = options.profile ? process.env.BENCH_CPU_PROF : undefined;
    const child = fork(script, [], {
      execArgv: [
        '--expose-gc',
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Child<C>(child, script);
  }

  send<T>(command: Command): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, command });
    });
  }

  /** Asks the child to exit (`{ type: 'exit' }`) and waits for it. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise(r => this.child.once('exit', r));
    await this.send({ type: 'exit' } as Command).catch(() => undefined);
    await exited;
  }
}

/**
 * The child's side: answers each command with `handle`'s result; `exit` runs `onExit` and ends
 * the process once answered; a parent that is gone ends it too.
 */
export function serveCommands<C extends { type: string }>(
  handle: (command: C) => Promise<unknown>,
  onExit: () => Promise<void> = async () => {},
) {
  process.on('message', (message: { id: number; command: C }) => {
    const run =
      message.command.type === 'exit'
        ? onExit().then(() => {
            setImmediate(() => process.exit(0));
            return {};
          })
        : handle(message.command);
    run.then(
      result => process.send!({ id: message.id, result }),
      error =>
        process.send!({ id: message.id, error: String(error?.stack ?? error) }),
    );
  });
  process.on('disconnect', () => {
    onExit().finally(() => process.exit(0));
  });
}
