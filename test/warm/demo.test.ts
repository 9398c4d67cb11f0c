// `make demo` leaves nothing running: its launches are served by warm servers of its own, stopped at its end.
import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';

/** The warm servers running in a directory under `prefix` (a server runs in its own directory; its arguments name none). */
function warmServersUnder(prefix: string): string[] {
  const table = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return table.split('\n').filter((line) => {
    if (!line.includes('--warm-server')) return false;
    try {
      return readlinkSync(`/proc/${line.trim().split(' ')[0]}/cwd`).startsWith(prefix);
    } catch {
      return false;
    }
  });
}

t.test('the demo applies, imports and destroys the documented example, and leaves no warm server behind', async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'tfdemo-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: scratch, CHECKPOINT_DISABLE: '1' };
  delete env.TF_AWS_WARM_DIR;
  let servedWarm = false;
  const child = spawn('bash', [join(repoRoot, 'scripts/demo.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    output += c;
    // While the demo runs, its own warm server serves its launches.
    if (warmServersUnder(scratch).length > 0) servedWarm = true;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.equal(code, 0, code === 0 ? 'the demo succeeds' : output.slice(-3000));
  t.ok(servedWarm, 'a warm server of the demo\'s own served it');
  t.same(warmServersUnder(scratch), [], 'no warm server is left running');
});
