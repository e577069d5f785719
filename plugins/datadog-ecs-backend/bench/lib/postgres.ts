/**
 * A throwaway PostgreSQL server for a benchmark, started the way the scripts start one
 * (`scripts/postgres.sh`: Debian's `postgresql` package, installed when missing and root, in a
 * temporary directory, 127.0.0.1 only, fsync off), and stopped and deleted when `stop()` is called
 * or this process goes away (the script's EXIT trap runs when its stdin closes).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const SCRIPTS = join(__dirname, '..', '..', '..', '..', 'scripts');

export interface ThrowawayPostgres {
  url: string;
  /** e.g. `16` */
  major: string;
  stop(): Promise<void>;
}

/** Starts one; rejects with the script's words when it cannot (no server, not root, …). */
export function startThrowawayPostgres(
  what: string,
): Promise<ThrowawayPostgres> {
  const child = spawn(
    'bash',
    [
      '-c',
      `set -euo pipefail
       source "${SCRIPTS}/lib.sh"; source "${SCRIPTS}/postgres.sh"
       start_throwaway_postgres "$1" || exit 1
       echo "PG_URL $PG_MAJOR $PG_URL"
       read -r _ || true`,
      'bench',
      what,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /^PG_URL (\d+) (\S+)$/m.exec(output);
      if (!match) return;
      resolve({
        major: match[1],
        url: match[2],
        async stop() {
          child.stdin.end();
          await exited;
        },
      });
    });
    child.once('exit', code =>
      reject(
        new Error(
          `no PostgreSQL (scripts/postgres.sh exited ${code}): ${stripVTControlCharacters(
            output,
          ).trim()}`,
        ),
      ),
    );
  });
}
