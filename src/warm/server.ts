// The warm server: one long-lived Node process that serves many launches of the provider, each with a provider
// instance of its own (src/protocol/instance.ts), so that a launch costs a connection instead of a Node boot.
//
// A launch is what a fresh process would have been: its own certificate, socket, gRPC server, handlers,
// ConfigureProvider, clients and caches; its log lines go to its launcher, which copies them to Terraform; it ends on
// Shutdown, or when its launcher or its Terraform is gone. What a server shares between launches is only what they
// share anyway: the build, the working directory and the whole environment but go-plugin's PLUGIN_* variables — a
// launch whose environment differs is refused, and its launcher finds (or starts) the server for that environment.
//
// The control channel is loopback TCP (bash's /dev/tcp, the launcher's only socket). Both sides prove themselves
// with secrets from the server file, which only this user can read (0600 in a 0700 directory): the server first, so
// that a launcher never sends its environment to whatever else listens on a stale port.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { generateCertificateAsync, type GeneratedCertificate } from '../protocol/certificate';
import { Logger, routeLogs, thresholdFromEnv, type LogSink } from '../protocol/log';
import { ProviderInstance } from '../protocol/instance';
import { isAlive } from '../protocol/server';
import type { ProviderHandlers } from '../protocol/tfplugin6';
import type { Launch } from '../protocol/launch';
import { serverFile, startingFile } from './files';

export interface WarmServerOptions {
  dir: string;
  /** Unique per server: its files are <dir>/<name>.*. */
  name: string;
  buildId: string;
  cwd: string;
  /** The environment of the launch that started the server, as launchers write it (./launcher.sh). */
  environment: string;
  /** Its length as the launcher counts it (characters or bytes, by locale), for the server file. */
  environmentSize: string;
  /** bin/terraform-provider-aws, for the launches' handlers. */
  executable: string;
  /** A file of the build; the server retires when it is replaced. */
  buildFile: string;
  idleMs: number;
  loadProviderHandlers(launch: Launch): ProviderHandlers;
  preload(): void;
}

const HELLO = 'TFAWS2';
const HELLO_TIMEOUT_MS = 2000;
const MAX_HELLO_BYTES = 1 << 20;
const WATCH_INTERVAL_MS = 1000;
/** Variables of the launch that started the server, not of the server: go-plugin's, and the launcher's mark. */
const LAUNCH_ONLY = /^(PLUGIN_.*|TF_AWS_WARM_SERVER)$/;

interface Hello {
  secret: string;
  buildId: string;
  cwd: string;
  terraformPid: number;
  launcherPid: number;
  /** The launch's PLUGIN_* variables (go-plugin's: PLUGIN_CLIENT_CERT, PLUGIN_PROTOCOL_VERSIONS, ...). */
  plugin: Record<string, string>;
  /** Every other exported variable, as the launcher writes them. */
  environment: string;
}

interface Served {
  instance: ProviderInstance;
  terraformPid: number;
  launcherPid: number;
}

export class WarmServer {
  private readonly log: Logger;
  private readonly env: NodeJS.ProcessEnv;
  private readonly proof = randomBytes(32).toString('hex');
  private readonly secret = randomBytes(32).toString('hex');
  private readonly served = new Set<Served>();
  private readonly logContext = new AsyncLocalStorage<LogSink>();
  private control: NetServer | undefined;
  private spareCertificate: GeneratedCertificate | undefined;
  private makingCertificate = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private buildStat: Stats | undefined;
  private retiring = false;
  private launches = 0;

  constructor(private readonly options: WarmServerOptions) {
    this.log = new Logger('warm-server', 'info', (line) => process.stderr.write(line), { pid: process.pid });
    // The launch that started us left its PLUGIN_* behind; no instance may see them.
    for (const name of Object.keys(process.env)) if (LAUNCH_ONLY.test(name)) delete process.env[name];
    this.env = { ...process.env };
  }

  /** Listen and publish the server file; false when the directory is not private. */
  async start(): Promise<boolean> {
    if (!this.privateDirectory()) return false;
    this.buildStat = statOrUndefined(this.options.buildFile);
    routeLogs(() => this.logContext.getStore());
    this.control = await listenLoopback((socket) => this.onLaunch(socket));
    const port = (this.control.address() as { port: number }).port;
    const { dir, name, buildId, environmentSize, cwd } = this.options;
    const path = serverFile(dir, name);
    const temporary = `${path}.${process.pid}`;
    writeFileSync(temporary, `${port} ${process.pid} ${this.proof} ${this.secret} ${buildId} ${environmentSize}\n${cwd}\n`, { mode: 0o600 });
    renameSync(temporary, path);
    rmSync(startingFile(dir, name), { force: true });
    this.log.info('warm server listening', { port });

    setImmediate(() => {
      try {
        this.options.preload();
      } catch (err) {
        // A launch that needs the module fails on it as a fresh process would; the server itself goes on.
        this.log.warn('preload failed', { error: err });
      }
      this.refillCertificate();
    });
    setInterval(() => this.watch(), WATCH_INTERVAL_MS).unref();
    this.armIdleTimer();
    return true;
  }

  /** Stop every instance (as if each process had been killed), remove our files and exit. */
  shutdown(reason: string, code = 0): void {
    this.log.info('warm server exiting', { reason, launches: this.launches, running: this.served.size });
    this.retire();
    for (const { instance } of this.served) instance.stop(reason);
    // Let the instances release their children (the delegated hashicorp/aws), then go.
    setTimeout(() => process.exit(code), this.served.size ? 300 : 0);
  }

  private onLaunch(socket: Socket): void {
    if (this.retiring) return void socket.destroy();
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.write(`${this.proof}\n`);
    const timer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > MAX_HELLO_BYTES) return void socket.destroy();
      const hello = parseHello(buffer);
      if (!hello) return;
      clearTimeout(timer);
      socket.off('data', onData);
      if (hello instanceof Error) return void socket.destroy();
      this.serve(socket, hello);
    };
    socket.on('data', onData);
  }

  private serve(socket: Socket, hello: Hello): void {
    if (!sameSecret(hello.secret, this.secret)) return void socket.destroy();
    const refusal = this.refusal(hello);
    if (refusal) {
      this.log.info('launch refused', { reason: refusal });
      socket.end(`ERR ${refusal}\n`);
      return;
    }
    clearTimeout(this.idleTimer);
    const id = ++this.launches;
    const env: NodeJS.ProcessEnv = { ...this.env, ...hello.plugin };
    // The instance's lines, whoever writes them (the protocol layer, the provider's modules), go to its launcher:
    // through its own loggers, and through the root logger while its RPCs run (`enter`).
    const sink: LogSink = (line) => {
      if (socket.writable) socket.write(line);
    };
    const providerLog = new Logger('provider', thresholdFromEnv(env), sink);
    const enter = <T>(work: () => T): T => this.logContext.run(sink, work);
    const launch: Launch = { terraformPid: hello.terraformPid, cwd: this.options.cwd, env, executable: this.options.executable, log: providerLog };
    const served: Served = {
      terraformPid: hello.terraformPid,
      launcherPid: hello.launcherPid,
      instance: new ProviderInstance({
        loadHandlers: () => this.options.loadProviderHandlers(launch),
        log: providerLog.child('protocol'),
        env,
        enter,
        certificate: this.takeCertificate(),
        announce: (_listen, line) => socket.write(line),
        onEnded: (reason) => {
          this.served.delete(served);
          socket.end();
          this.log.info('instance ended', { launch: id, reason, running: this.served.size });
          this.armIdleTimer();
        },
      }),
    };
    this.served.add(served);
    this.log.info('instance started', { launch: id, terraform_pid: hello.terraformPid, running: this.served.size });
    socket.on('close', () => served.instance.stop('its launcher has exited'));
    enter(() => {
      served.instance.start().catch((err: unknown) => {
        this.log.error('instance failed to start', { launch: id, error: err });
        served.instance.stop('it failed to start');
      });
    });
  }

  /** Why this server must not serve a launch: another build, directory or environment than its own. */
  private refusal(hello: Hello): string | undefined {
    if (hello.buildId !== this.options.buildId) return 'another build';
    if (hello.cwd !== this.options.cwd) return 'another working directory';
    if (hello.environment !== this.options.environment) return 'another environment';
    return undefined;
  }

  /** Each second: end instances whose Terraform or launcher is gone, retire when the build has been replaced. */
  private watch(): void {
    for (const served of this.served) {
      if (!isAlive(served.terraformPid)) served.instance.stop('its Terraform process has exited');
      else if (!isAlive(served.launcherPid)) served.instance.stop('its launcher has exited');
    }
    if (!this.retiring && changed(this.buildStat, statOrUndefined(this.options.buildFile))) {
      this.log.info('the build has been replaced: serving no new launches');
      this.retire();
      if (this.served.size === 0) this.shutdown('build replaced');
    }
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.served.size > 0) return;
    if (this.retiring) return this.shutdown('build replaced');
    this.idleTimer = setTimeout(() => this.shutdown('idle'), this.options.idleMs);
  }

  /** No new launches: the server file goes, so the next launcher starts another server. */
  private retire(): void {
    this.retiring = true;
    this.control?.close();
    rmSync(serverFile(this.options.dir, this.options.name), { force: true });
    rmSync(startingFile(this.options.dir, this.options.name), { force: true });
  }

  /** Certificates are made between launches, their keys off the main thread, so a launch does not wait for them. */
  private takeCertificate(): GeneratedCertificate | undefined {
    const certificate = this.spareCertificate;
    this.spareCertificate = undefined;
    this.refillCertificate();
    return certificate;
  }

  private refillCertificate(): void {
    if (this.spareCertificate || this.makingCertificate) return;
    this.makingCertificate = true;
    generateCertificateAsync()
      .then((certificate) => (this.spareCertificate = certificate))
      .catch((err: unknown) => this.log.warn('no spare certificate', { error: err }))
      .finally(() => (this.makingCertificate = false));
  }

  private privateDirectory(): boolean {
    const stat = statOrUndefined(this.options.dir);
    if (stat?.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o077) === 0) return true;
    this.log.error('the warm server directory must be a directory of ours, mode 0700', { dir: this.options.dir });
    return false;
  }
}

/** TFAWS2, secret, build, cwd, terraform pid, launcher pid, PLUGIN_* pairs, "", environment — each NUL-terminated. */
function parseHello(buffer: Buffer): Hello | Error | undefined {
  const fields = buffer.toString('utf8').split('\0');
  fields.pop(); // what follows the last NUL is not a whole field yet
  if (fields.length >= 1 && fields[0] !== HELLO) return new Error('not a launcher');
  const pluginEnd = fields.indexOf('', 6);
  if (pluginEnd < 0 || fields.length < pluginEnd + 2) return undefined;
  const [, secret, buildId, cwd, terraformPid, launcherPid] = fields;
  return {
    secret,
    buildId,
    cwd,
    terraformPid: Number(terraformPid),
    launcherPid: Number(launcherPid),
    plugin: pairs(fields.slice(6, pluginEnd)),
    environment: fields[pluginEnd + 1],
  };
}

function pairs(fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq > 0) out[field.slice(0, eq)] = field.slice(eq + 1);
  }
  return out;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function listenLoopback(onConnection: (socket: Socket) => void): Promise<NetServer> {
  return new Promise((resolve, reject) => {
    const server = createServer(onConnection);
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(server));
  });
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function changed(before: Stats | undefined, now: Stats | undefined): boolean {
  if (!before || !now) return before !== now;
  return before.ino !== now.ino || before.mtimeMs !== now.mtimeMs || before.size !== now.size;
}
