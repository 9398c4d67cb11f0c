// The warm server: one long-lived Node process that serves many launches of the provider, each with a provider
// instance of its own (src/protocol/instance.ts), so that a launch costs a connection instead of a Node boot.
//
// A launch is what a fresh process would have been: its own certificate, socket, gRPC server, handlers,
// ConfigureProvider, clients and caches, given the launch's working directory, environment and Terraform's pid (a
// `Launch`); its log lines go to its launcher, which copies them to Terraform; it ends on Shutdown, or when its
// launcher or its Terraform is gone. What a server shares between launches is only what they share anyway: the user,
// the build and the whole environment but go-plugin's PLUGIN_* variables — a launch whose environment differs is
// refused, and its launcher finds (or starts) the server for that environment. Launches come from any directory.
//
// The server runs in its directory (its working directory), checked private at start, once a second and for every
// launch; the control channel (./channel.ts) takes launches from files only the user can write there.
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, renameSync, rmSync, statSync, truncateSync, writeFileSync, type Stats } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { generateCertificateAsync, type GeneratedCertificate } from '../protocol/certificate';
import { Logger, routeLogs, thresholdFromEnv, type LogSink } from '../protocol/log';
import { ProviderInstance } from '../protocol/instance';
import { isAlive } from '../protocol/server';
import type { ProviderHandlers } from '../protocol/tfplugin6';
import type { Launch } from '../protocol/launch';
import { parseLaunch, peerUid, takeLaunchFile, type LaunchRequest } from './channel';
import { directoryProblem, writeRefusal } from './directory';
import { LAUNCH_FILE, logFile, serverFile, startingFile, statusFile, sweep, type ServerStatus } from './files';

export interface WarmServerOptions {
  /** The directory's path as launchers name it. The server runs in it (its working directory). */
  dir: string;
  /** Random, and first in the server's environment (TF_AWS_WARM_SERVER): its files are <name>.*. */
  name: string;
  buildId: string;
  /** The environment of the launches it serves, as launchers write it (./launcher.sh). */
  environment: Buffer;
  /** Its length as the launcher counts it (characters or bytes, by locale), for the server file. */
  environmentSize: string;
  /** bin/terraform-provider-aws, for the launches' handlers. */
  executable: string;
  /** A file of the build; the server retires when it is replaced. */
  buildFile: string;
  idleMs: number;
  /** Past this resident size the server takes no more launches, and exits once its instances have ended. */
  maxRssBytes: number;
  loadProviderHandlers(launch: Launch): ProviderHandlers;
  preload(): void;
  /** hashicorp/aws children the launches' handlers keep between launches: shut down when the server retires. */
  upstreamPool?: KeptChildren;
}

/** What the server knows of the children kept between launches (src/upstream/pool.ts). */
export interface KeptChildren {
  clear(reason: string): void;
  status(): { parked: number; rss_mib: number };
}

/** A connection must name its launch within this time, in one line of at most MAX_REQUEST_BYTES. */
const REQUEST_TIMEOUT_MS = 1000;
const MAX_REQUEST_BYTES = 128;
/** Connections that have not named a launch yet; past this, a new one closes the oldest. */
const MAX_WAITING = 256;
const WATCH_INTERVAL_MS = 1000;
/** Stale files of dead servers and forsaken launches are swept every this many watches. */
const SWEEP_EVERY = 10;
const MAX_DIRECTORIES_SHOWN = 16;
const MAX_LOG_BYTES = 1 << 20;
/** Variables of the launch that started the server, not of the server: go-plugin's, the server's name, bash's. */
const LAUNCH_ONLY = /^(PLUGIN_.*|TF_AWS_WARM_SERVER|OLDPWD)$/;

interface Served {
  instance: ProviderInstance;
  terraformPid: number;
  launcherPid: number;
}

export class WarmServer {
  private readonly log: Logger;
  private readonly env: NodeJS.ProcessEnv;
  private readonly uid = process.getuid?.() ?? 0;
  private readonly waiting = new Set<Socket>();
  private readonly served = new Set<Served>();
  /** Working directories served, the most recent last. */
  private readonly directories = new Set<string>();
  private readonly logContext = new AsyncLocalStorage<LogSink>();
  private readonly started = new Date();
  private control: NetServer | undefined;
  private port = 0;
  private spareCertificate: GeneratedCertificate | undefined;
  private makingCertificate = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private buildStat: Stats | undefined;
  private retiring: string | undefined;
  private launches = 0;
  private watches = 0;
  private statusChanged = true;
  private upstreamStatus = '';

  constructor(private readonly options: WarmServerOptions) {
    this.log = new Logger('warm-server', 'info', (line) => process.stderr.write(line), { pid: process.pid });
    // The launch that started us left its PLUGIN_* behind; no instance may see them.
    for (const name of Object.keys(process.env)) if (LAUNCH_ONLY.test(name)) delete process.env[name];
    this.env = { ...process.env };
  }

  /** Listen and publish the server file; false (after marking the directory refused) when it is not private. */
  async start(): Promise<boolean> {
    const problem = directoryProblem(this.options.dir, this.uid);
    if (problem) {
      this.log.error('the warm server directory is not private: serving no launches', { dir: this.options.dir, reason: problem });
      writeRefusal(problem);
      return false;
    }
    this.buildStat = statOrUndefined(this.options.buildFile);
    routeLogs(() => this.logContext.getStore());
    this.control = await listenLoopback((socket) => this.onConnection(socket));
    this.port = (this.control.address() as { port: number }).port;
    const { name, buildId, environmentSize } = this.options;
    const temporary = `${serverFile(name)}.${process.pid}`;
    writeFileSync(temporary, `${this.port} ${process.pid} ${buildId} ${environmentSize}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, serverFile(name));
    rmSync(startingFile(name), { force: true });
    this.writeStatus();
    this.log.info('warm server listening', { port: this.port });

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
    this.retire(reason);
    for (const { instance } of this.served) instance.stop(reason);
    // Let the instances release their children (the delegated hashicorp/aws), then go.
    setTimeout(() => process.exit(code), this.served.size ? 300 : 0);
  }

  /** What the server leaves when it exits, however it exits (process 'exit'): nothing a launcher would trust. */
  removeFiles(): void {
    for (const file of [serverFile, startingFile, statusFile]) rmSync(file(this.options.name), { force: true });
  }

  /**
   * A connection, not yet trusted: it gets one second to name a launch in one short line, and at most MAX_WAITING
   * wait at once (a new one closes the oldest), so idle or garbage connections delay no one.
   */
  private onConnection(socket: Socket): void {
    if (this.retiring) return void socket.destroy();
    socket.on('error', () => {});
    socket.setNoDelay(true);
    this.waiting.add(socket);
    if (this.waiting.size > MAX_WAITING) {
      const oldest = this.waiting.values().next().value!;
      this.waiting.delete(oldest);
      oldest.destroy();
    }
    const timer = setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS);
    let request = '';
    const onData = (chunk: Buffer) => {
      request += chunk.toString('latin1');
      const end = request.indexOf('\n');
      if (end < 0 && request.length <= MAX_REQUEST_BYTES) return;
      socket.off('data', onData);
      clearTimeout(timer);
      this.waiting.delete(socket);
      // One line, and nothing after it.
      if (end < 0 || end !== request.length - 1) return void socket.destroy();
      this.take(socket, request.slice(0, end));
    };
    socket.on('data', onData);
    socket.once('close', () => {
      clearTimeout(timer);
      this.waiting.delete(socket);
    });
  }

  /** The launch a connection names: served if the connection and the file are the user's, the build and environment ours. */
  private take(socket: Socket, name: string): void {
    // A name of no file is dropped before anything costs more than a stat.
    if (!LAUNCH_FILE.test(name) || !existsSync(name)) return void socket.destroy();
    // Nothing is said to another user's process, nor is its launch file touched: a name it relays gets nothing.
    const uid = peerUid(socket.localPort ?? 0, socket.remotePort ?? 0);
    if (uid !== this.uid) {
      this.log.warn('a connection that is not the user\'s named a launch: dropped', { uid: uid ?? 'unknown' });
      return void socket.destroy();
    }
    const problem = directoryProblem(this.options.dir, this.uid);
    if (problem) {
      this.refuseDirectory(problem);
      return this.refuseLaunch(socket, 'the directory is not private');
    }
    const content = takeLaunchFile(name, this.uid);
    const request = typeof content === 'string' ? content : parseLaunch(content);
    if (typeof request === 'string') return this.refuseLaunch(socket, request);
    if (request.buildId !== this.options.buildId) return this.refuseLaunch(socket, 'another build');
    if (!request.environment.equals(this.options.environment)) return this.refuseLaunch(socket, 'another environment');
    this.serve(socket, request);
  }

  /** Said only to a connection of the user's: its launcher then tries another server, or runs the launch itself. */
  private refuseLaunch(socket: Socket, reason: string): void {
    this.log.info('launch refused', { reason });
    socket.end(`ERR ${reason}\n`);
  }

  private serve(socket: Socket, request: LaunchRequest): void {
    clearTimeout(this.idleTimer);
    const id = ++this.launches;
    const env: NodeJS.ProcessEnv = { ...this.env, ...request.plugin, PWD: request.cwd };
    // The instance's lines, whoever writes them (the protocol layer, the provider's modules), go to its launcher:
    // through its own loggers, and through the root logger while its RPCs run (`enter`).
    const sink: LogSink = (line) => {
      if (socket.writable) socket.write(line);
    };
    const providerLog = new Logger('provider', thresholdFromEnv(env), sink);
    const enter = <T>(work: () => T): T => this.logContext.run(sink, work);
    const launch: Launch = { terraformPid: request.terraformPid, cwd: request.cwd, env, executable: this.options.executable, log: providerLog };
    const served: Served = {
      terraformPid: request.terraformPid,
      launcherPid: request.launcherPid,
      instance: new ProviderInstance({
        loadHandlers: () => this.options.loadProviderHandlers(launch),
        log: providerLog.child('protocol'),
        env,
        enter,
        certificate: this.takeCertificate(),
        // The launcher prints the handshake line only after this nonce, which only its file held.
        announce: (_listen, line) => socket.write(`${request.nonce} ${line}`),
        onEnded: (reason) => {
          this.served.delete(served);
          this.statusChanged = true;
          socket.end();
          this.log.info('instance ended', { launch: id, reason, running: this.served.size });
          this.armIdleTimer();
        },
      }),
    };
    this.served.add(served);
    this.directories.delete(request.cwd);
    this.directories.add(request.cwd);
    if (this.directories.size > MAX_DIRECTORIES_SHOWN) this.directories.delete(this.directories.values().next().value!);
    this.statusChanged = true;
    this.log.info('instance started', { launch: id, terraform_pid: request.terraformPid, cwd: request.cwd, running: this.served.size });
    socket.on('close', () => served.instance.stop('its launcher has exited'));
    enter(() => {
      served.instance.start().catch((err: unknown) => {
        this.log.error('instance failed to start', { launch: id, error: err });
        served.instance.stop('it failed to start');
      });
    });
  }

  /**
   * Each second: end instances whose Terraform or launcher is gone; retire when the build has been replaced, the
   * server has outgrown its memory bound or its directory is no longer private; keep the files current.
   */
  private watch(): void {
    for (const served of this.served) {
      if (!isAlive(served.terraformPid)) served.instance.stop('its Terraform process has exited');
      else if (!isAlive(served.launcherPid)) served.instance.stop('its launcher has exited');
    }
    if (!this.retiring) {
      const rss = process.memoryUsage.rss();
      const problem = directoryProblem(this.options.dir, this.uid);
      if (problem) this.refuseDirectory(problem);
      else if (changed(this.buildStat, statOrUndefined(this.options.buildFile))) this.retireWhenIdle('build replaced');
      else if (rss > this.options.maxRssBytes) this.retireWhenIdle('over its memory bound', { rss_mib: Math.round(rss / (1 << 20)) });
    }
    const upstream = JSON.stringify(this.options.upstreamPool?.status() ?? null);
    if (upstream !== this.upstreamStatus) [this.upstreamStatus, this.statusChanged] = [upstream, true];
    const { name } = this.options;
    // Its launcher may write the .starting file after the server has started listening.
    rmSync(startingFile(name), { force: true });
    if (this.statusChanged) this.writeStatus();
    if (++this.watches % SWEEP_EVERY === 0) {
      const removed = sweep('.', new Set([name]));
      if (removed.length) this.log.info('removed stale files', { files: removed });
      if ((statOrUndefined(logFile(name))?.size ?? 0) > MAX_LOG_BYTES) truncateSync(logFile(name));
    }
  }

  private refuseDirectory(problem: string): void {
    this.log.error('the warm server directory is no longer private: serving no more launches', { dir: this.options.dir, reason: problem });
    writeRefusal(problem);
    this.retireWhenIdle('directory refused');
  }

  /** Take no more launches; exit once the running instances have ended. */
  retireWhenIdle(reason: string, fields: Record<string, unknown> = {}): void {
    this.log.info('serving no new launches', { reason, ...fields });
    this.retire(reason);
    this.armIdleTimer();
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.served.size > 0) return;
    if (this.retiring) return this.shutdown(this.retiring);
    this.idleTimer = setTimeout(() => this.shutdown('idle'), this.options.idleMs);
  }

  /** No new launches: the server file goes, so the next launcher starts another server; kept children are useless. */
  private retire(reason: string): void {
    this.retiring ??= reason;
    this.options.upstreamPool?.clear(reason);
    this.control?.close();
    for (const socket of this.waiting) socket.destroy();
    rmSync(serverFile(this.options.name), { force: true });
    rmSync(startingFile(this.options.name), { force: true });
    this.writeStatus();
  }

  private writeStatus(): void {
    const status: ServerStatus = {
      pid: process.pid,
      port: this.port,
      build: this.options.buildId,
      started: this.started.toISOString(),
      launches: this.launches,
      instances: this.served.size,
      directories: [...this.directories],
      ...(this.options.upstreamPool ? { upstream: this.options.upstreamPool.status() } : {}),
      ...(this.retiring ? { retiring: this.retiring } : {}),
    };
    const path = statusFile(this.options.name);
    try {
      writeFileSync(`${path}.${process.pid}`, `${JSON.stringify(status)}\n`, { mode: 0o600 });
      renameSync(`${path}.${process.pid}`, path);
      this.statusChanged = false;
    } catch (err) {
      this.log.warn('status not written', { error: err });
    }
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
}

function listenLoopback(onConnection: (socket: Socket) => void): Promise<NetServer> {
  return new Promise((resolve, reject) => {
    const server = createServer(onConnection);
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, backlog: 511 }, () => resolve(server));
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
