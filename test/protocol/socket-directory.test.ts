// A provider process removes the socket directories it made (tfprovider-*) on its way out, whichever way it exits
// short of SIGKILL, even those whose removal had not finished or not started: else a warm server that exits with
// instances still running leaves them in the temporary directory.
import t from 'tap';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { launchFixture, pluginEnv } from '../support/provider-process';

t.test('process.exit with one removal under way and one not started: both directories are gone', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'socket-dirs-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const p = launchFixture(t, join(__dirname, 'fixtures', 'socket-directories-at-exit.ts'), pluginEnv({ PROTOCOL_FIXTURE: '1', TMPDIR: base }));
  const dirs = (await p.handshake).split(' ');
  t.equal((await p.exited).code, 0);
  t.same(dirs.map((dir) => [dirname(dir), /^tfprovider-\w{6}$/.test(basename(dir))]), [[base, true], [base, true]], 'two socket directories were made in TMPDIR');
  t.same(dirs.filter((dir) => existsSync(dir)), [], 'neither is left');
});
