// The pool of parked hashicorp/aws children (src/upstream/pool.ts) with stand-in children: which child a launch may
// take (same keys only), the bounds on number and memory (the oldest go), the expiry after the idle time, children
// that die while parked; and the keys themselves: what changes them (a rewritten file of the same size and times,
// a file that appears, another request, another variable) and what does not (our own variables).
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Logger } from '../../src/protocol/log';
import { baseKey, configuredKey, fileIdentity, UpstreamPool, type Parkable, type ReuseKeys } from '../../src/upstream/pool';
import { waitFor } from '../support/processes';

const MIB = 1 << 20;
const log = new Logger('test', 'off');

class StandIn implements Parkable {
  closed = false;
  alive = true;
  readonly keys: ReuseKeys;
  loggedTo: Logger | undefined;
  private exit!: () => void;
  readonly exited = new Promise<void>((resolve) => (this.exit = resolve));

  constructor(
    readonly pid: number,
    base: string,
    configured?: string,
    private readonly rssMiB = 100,
  ) {
    this.keys = { base, configured };
  }

  residentBytes(): number {
    return this.rssMiB * MIB;
  }

  logTo(to: Logger): void {
    this.loggedTo = to;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.die();
  }

  die(): void {
    this.alive = false;
    this.exit();
  }
}

const pool = (settings: Partial<{ maxChildren: number; maxRssMiB: number; idleMs: number }> = {}) =>
  new UpstreamPool<StandIn>({
    maxChildren: settings.maxChildren ?? 4,
    maxRssBytes: (settings.maxRssMiB ?? 1000) * MIB,
    idleMs: settings.idleMs ?? 60_000,
    log,
  });

t.test('a launch takes only a child of its own keys: the configured one, else an unconfigured one of its base', async (t) => {
  const parked = pool();
  const configured = new StandIn(1, 'base-a', 'request-1');
  const unconfigured = new StandIn(2, 'base-a');
  const otherBase = new StandIn(3, 'base-b');
  for (const child of [configured, unconfigured, otherBase]) t.ok(parked.park(child));
  t.equal(configured.loggedTo, log, "a parked child's output goes to the pool's log");

  t.equal(parked.take('base-a', 'request-2'), unconfigured, 'another request: the unconfigured child, to be configured');
  t.equal(parked.take('base-a', 'request-2'), undefined, 'a child configured with request-1 never serves request-2');
  t.equal(parked.take('base-a'), undefined, 'nor a launch that needs an unconfigured child');
  t.equal(parked.take('base-a', 'request-1'), configured, 'the same request: the configured child');
  t.equal(parked.take('base-a', 'request-1'), undefined, 'taken once: a child serves one launch at a time');
  t.equal(parked.take('base-c'), undefined, 'no child of another binary, environment or directory');
  t.equal(parked.take('base-b'), otherBase);
  t.same(parked.status(), { parked: 0, rss_mib: 0 });
  t.notOk([configured, unconfigured, otherBase].some((c) => c.closed), 'taken children are not shut down');
});

t.test('bounded in number: the oldest parked child is shut down to make room', async (t) => {
  const parked = pool({ maxChildren: 2 });
  const [first, second, third] = [new StandIn(1, 'b'), new StandIn(2, 'b', 'r'), new StandIn(3, 'b', 's')];
  parked.park(first);
  parked.park(second);
  t.notOk(first.closed);
  parked.park(third);
  t.ok(first.closed, 'the oldest went');
  t.notOk(second.closed || third.closed);
  t.same(parked.status(), { parked: 2, rss_mib: 200 });
  t.equal(parked.take('b'), undefined, 'the unconfigured one is gone');
});

t.test('bounded in memory: the oldest go until the parked children fit; a child larger than the bound is not kept', async (t) => {
  const parked = pool({ maxRssMiB: 700 });
  const [a, b, c] = [new StandIn(1, 'b', 'r', 300), new StandIn(2, 'b', 's', 300), new StandIn(3, 'b', 't', 300)];
  parked.park(a);
  parked.park(b);
  parked.park(c);
  t.ok(a.closed, '900 MiB do not fit in 700: the oldest went');
  t.same(parked.status(), { parked: 2, rss_mib: 600 });
  const huge = new StandIn(4, 'b', 'u', 800);
  t.notOk(parked.park(huge), 'refused: it is left to its owner');
  t.notOk(huge.closed || b.closed || c.closed, 'and nothing else made room for it');
});

t.test('none is parked when the bound is 0, nor a child that has exited', async (t) => {
  t.notOk(pool({ maxChildren: 0 }).park(new StandIn(1, 'b')));
  const dead = new StandIn(2, 'b');
  dead.die();
  t.notOk(pool().park(dead));
});

t.test('a parked child is shut down after the idle time; one that dies while parked is forgotten', async (t) => {
  const parked = pool({ idleMs: 200 });
  const idle = new StandIn(1, 'b');
  const dying = new StandIn(2, 'c', 'r');
  parked.park(idle);
  parked.park(dying);
  dying.die();
  t.equal(parked.take('c', 'r'), undefined, 'a dead child is never taken');
  await waitFor('the dead child to be forgotten', () => parked.status().parked === 1, 10_000, 10);
  await waitFor('the idle child to be shut down', () => idle.closed, 10_000, 10);
  t.same(parked.status(), { parked: 0, rss_mib: 0 });
});

t.test('clear shuts every parked child down', async (t) => {
  const parked = pool();
  const children = [new StandIn(1, 'b'), new StandIn(2, 'b', 'r')];
  for (const child of children) parked.park(child);
  parked.clear('the server retires');
  t.ok(children.every((c) => c.closed));
  t.same(parked.status(), { parked: 0, rss_mib: 0 });
});

t.test('the keys: what makes two children alike', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pool-keys-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const binary = join(dir, 'terraform-provider-aws_v5.100.0_x5');
  writeFileSync(binary, 'binary');
  const env = { AWS_REGION: 'us-west-2', PLUGIN_CLIENT_CERT: 'ours, new for each child' };
  const own = ['PLUGIN_CLIENT_CERT'];
  const base = baseKey(binary, env, dir, own);
  t.equal(baseKey(binary, { ...env, PLUGIN_CLIENT_CERT: 'another' }, dir, own), base, 'our own variables are no part of it');
  t.not(baseKey(binary, { ...env, AWS_REGION: 'eu-west-1' }, dir, own), base, 'another value of a variable');
  t.not(baseKey(binary, { ...env, HTTPS_PROXY: 'http://proxy' }, dir, own), base, 'one more variable');
  t.not(baseKey(binary, env, tmpdir(), own), base, 'another working directory');
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  const inWorkspace = baseKey(binary, env, workspace, own);
  writeFileSync(join(workspace, 'terraform.tfstate'), '{}');
  t.equal(baseKey(binary, env, workspace, own), inWorkspace, "the directory's content changing (each command does) is no part of it");
  // A child's working directory stays open while the child runs (as this descriptor), so its inode is not reused.
  const asAChildHoldsIt = openSync(workspace, 'r');
  rmSync(workspace, { recursive: true });
  mkdirSync(workspace);
  t.not(baseKey(binary, env, workspace, own), inWorkspace, 'a directory removed and made again at the same path');
  closeSync(asAChildHoldsIt);

  const credentials = join(dir, 'credentials');
  const config = join(dir, 'config');
  writeFileSync(credentials, '[default]\naws_access_key_id = AKIDAAAA\n');
  const request = Buffer.from('configure request');
  const key = configuredKey(base, request, [credentials, config]);
  t.equal(configuredKey(base, request, [credentials, config]), key, 'the same request and unchanged files');
  t.not(configuredKey(base, Buffer.from('configure requesT'), [credentials, config]), key, 'another request');

  // Same size, and the times put back: the change time still tells.
  const { atime, mtime } = statSync(credentials);
  writeFileSync(credentials, '[default]\naws_access_key_id = AKIDBBBB\n');
  utimesSync(credentials, atime, mtime);
  t.not(configuredKey(base, request, [credentials, config]), key, 'a credentials file rewritten in place');
  const rewritten = configuredKey(base, request, [credentials, config]);
  writeFileSync(config, '[default]\nregion = eu-west-1\n');
  t.not(configuredKey(base, request, [credentials, config]), rewritten, 'a config file that appears');
  t.match(fileIdentity(join(dir, 'absent')), /^unreadable:ENOENT$/);

  writeFileSync(binary, 'binarY');
  t.not(baseKey(binary, env, dir, own), base, 'a rebuilt binary');
});
