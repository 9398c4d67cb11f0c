// The upstream provider as the router sees it: a binary that may be started (once, on demand), its cached schema,
// and tfplugin6 calls answered by its tfplugin5 RPCs. In a warm server, the child may come from the server's pool of
// parked children (./pool.ts) and go back to it when the launch ends well.
import { generateCertificate } from '../protocol/certificate';
import { MAGIC_COOKIE_KEY } from '../protocol/handshake';
import type { Environment } from '../protocol/launch';
import type { Logger } from '../protocol/log';
import type * as tf from '../protocol/tfplugin6';
import { UpstreamClient } from './client';
import type { UpstreamBinary } from './discovery';
import { baseKey, configuredKey, residentBytes, type Parkable, type ReuseKeys, type UpstreamPool } from './pool';
import { UpstreamError, UpstreamProcess, type Exit, type StartOptions } from './process';
import { binaryIdentity, loadSchema, storeSchema, type UpstreamSchema } from './schema-cache';
import { ANSWER_FIELDS_DROPPED, tfplugin5, V5_RPC, type ForwardedRpc } from './tfplugin5';

export { UpstreamError } from './process';

/** How long Shutdown waits for the child to exit by itself before killing it. */
const SHUTDOWN_GRACE_MS = 1_000;
/** After a failed call, how long to wait for the process exit that may explain it. */
const EXIT_EXPLAINS_FAILURE_MS = 300;
/** Variables a child gets from us, not from the launch (process.ts): no part of what makes two children alike. */
const OWN_VARIABLES = ['PLUGIN_CLIENT_CERT', 'PLUGIN_PROTOCOL_VERSIONS', MAGIC_COOKIE_KEY];

export interface UpstreamOptions {
  binary: UpstreamBinary;
  log: Logger;
  cacheDir: string;
  /** The launch's environment and working directory, the child's own. */
  env: Environment;
  cwd: string;
  startTimeoutMs?: number;
  guard?: StartOptions['guard'];
  /** A warm server's parked children: one is taken when it fits, and ours is parked there when the launch ends well. */
  pool?: UpstreamPool<Session>;
}

/**
 * What hashicorp/aws reads when it is configured (src/aws/upstream-inputs.ts says it for the provider block and the
 * launch): the files whose identity a configured child is kept under, or why a configured child may not be reused.
 */
export type ConfigurationInputs = { files: string[] } | { refused: string };

export class Upstream {
  private session: Promise<Session> | undefined;
  /** The session once started (undefined while it is starting). */
  private running: Session | undefined;
  private schemaLoaded: Promise<UpstreamSchema> | undefined;
  private readonly log: Logger;
  private base: string | undefined;
  /** StopProvider was received: the child is never parked. */
  private stopped = false;
  /** A ConfigureProvider in flight (close() lets it finish before the child is parked). */
  private configuring: Promise<unknown> | undefined;

  constructor(private readonly options: UpstreamOptions) {
    this.log = options.log;
  }

  get binary(): UpstreamBinary {
    return this.options.binary;
  }

  /** Whether the child was started (it may have exited since). */
  get started(): boolean {
    return this.session !== undefined;
  }

  /** The child's schema: from the on-disk cache, else asked of the child (then kept running) and cached. */
  schema(): Promise<UpstreamSchema> {
    this.schemaLoaded ??= (async () => {
      const identity = binaryIdentity(this.options.binary.path);
      const cached = loadSchema(this.options.cacheDir, identity);
      if (cached) return cached;
      const started = performance.now();
      const session = await this.connect();
      const bytes = await session.callRaw('GetProviderSchema', {});
      const answer = tfplugin5.decode('tfplugin5.GetProviderSchema.Response', bytes, { longs: Number, enums: String, bytes: Buffer, defaults: false }) as tf.GetProviderSchemaResponse;
      const errors = (answer.diagnostics ?? []).filter((d) => d.severity === 'ERROR');
      if (errors.length > 0) throw new UpstreamError(`its GetSchema failed: ${errors.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('; ')}`);
      const schema = storeSchema(this.options.cacheDir, identity, answer);
      this.log.info('upstream schema cached', { ms: Math.round(performance.now() - started), bytes: bytes.length, cache: this.options.cacheDir });
      return schema;
    })();
    // A failure is not remembered: a later call may try again.
    this.schemaLoaded.catch(() => (this.schemaLoaded = undefined));
    return this.schemaLoaded;
  }

  /**
   * The running child: a parked one never configured, else one started now (once). Rejects with an UpstreamError
   * (remembered: no restart).
   */
  connect(): Promise<Session> {
    this.session ??= this.adoptOrStart(this.options.pool?.take(this.baseKey()));
    return this.session;
  }

  /**
   * Configure the child with `request` (tfplugin5's Configure, already re-encoded for it) and answer its diagnostics.
   * Before any child runs, a parked one configured with the same request under the same files is taken and answers
   * what it answered then, as a fresh one would; else a parked unconfigured one, or a new one, is configured now.
   */
  async configure(request: object, inputs: ConfigurationInputs | undefined): Promise<tf.Diagnostic[]> {
    const pool = this.options.pool;
    const encoded = pool && inputs && 'files' in inputs ? tfplugin5.encode('tfplugin5.Configure.Request', request) : undefined;
    const key = () => configuredKey(this.baseKey(), encoded!, (inputs as { files: string[] }).files);
    const before = encoded ? key() : undefined;
    if (!this.session && before) {
      const parked = this.options.pool?.take(this.baseKey(), before);
      if (parked) {
        this.session = this.adoptOrStart(parked);
        if (parked.keys.configured === before) return parked.configuredAnswer ?? [];
      }
    }
    const session = await this.connect();
    const configuring = session.call('ConfigureProvider', request);
    this.configuring = configuring.catch(() => undefined);
    const diagnostics = ((await configuring) as tf.ConfigureProviderResponse).diagnostics ?? [];
    if (diagnostics.some((d) => d.severity === 'ERROR')) session.retire('its configuration failed');
    else if (session.keys.configured !== undefined || session.configuredAnswer) session.retire('it was configured twice');
    else if (inputs && 'refused' in inputs) session.retire(inputs.refused);
    // A file that changed while the child read it may have been read either way: such a child is not kept.
    else if (before && key() !== before) session.retire('a file it reads changed while it was configured');
    else if (before) session.configured(before, diagnostics);
    this.log.debug('hashicorp/aws configured', { pid: session.pid, diagnostics: diagnostics.length });
    return diagnostics;
  }

  /** StopProvider: forwarded to a running child (one still starting has nothing to stop, and is not waited for). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.call('StopProvider', {}).catch(() => undefined);
  }

  /**
   * The launch has ended: the child is parked when it may serve another launch as a fresh one would, else it gets
   * GRPCController.Shutdown and is killed if it has not exited in time (our exit kills it anyway). A child still
   * starting or being configured is parked or stopped once it is done.
   */
  async close(): Promise<void> {
    const pending = this.session;
    if (!pending) return;
    const session = await pending.catch(() => undefined);
    await this.configuring;
    if (!session) return;
    const unfit = this.stopped ? 'it received StopProvider' : session.unfitForReuse();
    if (this.options.pool && !unfit && this.options.pool.park(session)) {
      this.log.debug('hashicorp/aws parked for a later launch', { pid: session.pid, configured: session.keys.configured !== undefined });
      return;
    }
    if (this.options.pool) this.log.debug('hashicorp/aws not kept for a later launch', { pid: session.pid, reason: unfit ?? 'the pool is full' });
    await session.close();
  }

  /** The parked child, made this launch's; else a new child. */
  private adoptOrStart(parked: Session | undefined): Promise<Session> {
    if (parked) {
      parked.logTo(this.log);
      this.running = parked;
      this.log.info('reusing a parked hashicorp/aws', { pid: parked.pid, configured: parked.keys.configured !== undefined });
      return Promise.resolve(parked);
    }
    return Session.start(this.options, this.options.pool ? this.baseKey() : '').then((session) => (this.running = session));
  }

  private baseKey(): string {
    this.base ??= baseKey(this.options.binary.path, this.options.env, this.options.cwd, OWN_VARIABLES);
    return this.base;
  }
}
/** One running child: its process and gRPC client, what it is as far as reuse goes, and whether it still may be reused. */
export class Session implements Parkable {
  readonly keys: ReuseKeys;
  /** The diagnostics its ConfigureProvider answered, once configured under `keys.configured`. */
  configuredAnswer: tf.Diagnostic[] | undefined;
  private inFlight = 0;
  /** Why it may serve no other launch (a failed call, StopProvider, ...), once there is a reason. */
  private unfit: string | undefined;
  private log: Logger;

  private constructor(
    private readonly process: UpstreamProcess,
    private readonly client: UpstreamClient,
    log: Logger,
    private readonly binary: UpstreamBinary,
    base: string,
  ) {
    this.log = log;
    this.keys = { base };
  }

  static async start(options: UpstreamOptions, base: string): Promise<Session> {
    const { binary, log } = options;
    log.info('starting the upstream provider', { path: binary.path, version: binary.version, reason: binary.reason });
    const certificate = generateCertificate();
    const child = await UpstreamProcess.start({
      binary: binary.path,
      clientCertPem: certificate.certPem,
      env: options.env,
      cwd: options.cwd,
      log,
      startTimeoutMs: options.startTimeoutMs,
      guard: options.guard,
    });
    const client = new UpstreamClient(child.handshake, certificate);
    const session = new Session(child, client, log, binary, base);
    client.openStdio(() => session.log.child('upstream'));
    void child.exited.then((exit) => {
      session.log[exit.code === 0 ? 'debug' : 'warn']('upstream provider exited', { pid: child.pid, code: exit.code, signal: exit.signal });
      client.close();
    });
    return session;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.process.exitStatus === undefined;
  }

  get exited(): Promise<Exit> {
    return this.process.exited;
  }

  residentBytes(): number | undefined {
    return residentBytes(this.process.pid);
  }

  /** Its log lines and output go to `log` from now on (the launch that took it, or the pool). */
  logTo(log: Logger): void {
    this.log = log;
    this.process.logTo(log);
  }

  /** Configured with the request whose key this is: it may serve a later launch with the same key. */
  configured(key: string, diagnostics: tf.Diagnostic[]): void {
    this.keys.configured = key;
    this.configuredAnswer = diagnostics;
  }

  /** It may serve no other launch. */
  retire(reason: string): void {
    this.unfit ??= reason;
  }

  /** Why it may not be parked for another launch, or undefined when it may. */
  unfitForReuse(): string | undefined {
    if (!this.alive) return 'it has exited';
    if (this.inFlight > 0) return 'a request was in flight when its launch ended';
    return this.unfit;
  }

  /** Forward one tfplugin6 call as its tfplugin5 RPC; the answer has the tfplugin6 shape. */
  async call(rpc: ForwardedRpc, request: object): Promise<Record<string, unknown>> {
    const answer = (await this.track(rpc, () => this.client.call(V5_RPC[rpc], request))) as Record<string, unknown>;
    for (const field of ANSWER_FIELDS_DROPPED[rpc] ?? []) delete answer[field];
    return answer;
  }

  /** The same, with the answer undecoded. */
  callRaw(rpc: ForwardedRpc, request: object): Promise<Buffer> {
    return this.track(rpc, () => this.client.callRaw(V5_RPC[rpc], request)) as Promise<Buffer>;
  }

  async close(): Promise<void> {
    this.retire('it was shut down');
    if (this.process.exitStatus) return;
    await this.client.shutdown();
    const exited = await Promise.race([this.process.exited.then(() => true), delay(SHUTDOWN_GRACE_MS).then(() => false)]);
    if (!exited) {
      this.log.warn('upstream provider did not exit after Shutdown; killing it', { pid: this.process.pid });
      this.process.kill();
    }
  }

  /** One call, counted while in flight; a failed call (the transport's, or the child's death) retires the child. */
  private async track(rpc: ForwardedRpc, call: () => Promise<unknown>): Promise<unknown> {
    this.assertAlive(rpc);
    this.inFlight++;
    try {
      return await call();
    } catch (err) {
      this.retire(`its ${rpc} failed`);
      throw await this.failure(rpc, err);
    } finally {
      this.inFlight--;
    }
  }

  private assertAlive(rpc: ForwardedRpc): void {
    const exit = this.process.exitStatus;
    if (exit) throw new UpstreamError(`${this.describe()} is no longer running (it ${describeExit(exit)}), so ${rpc} could not be served.`);
  }

  /** Explain a failed call: the child died (the usual reason), or the call itself failed. */
  private async failure(rpc: ForwardedRpc, err: unknown): Promise<UpstreamError> {
    const exit = this.process.exitStatus ?? (await Promise.race([this.process.exited, delay(EXIT_EXPLAINS_FAILURE_MS).then(() => undefined)]));
    if (exit) return new UpstreamError(`${this.describe()} ${describeExit(exit)} while serving ${rpc}.`);
    const detail = (err as { details?: string }).details || (err instanceof Error ? err.message : String(err));
    return new UpstreamError(`${this.describe()} failed to answer ${rpc}: ${detail}`);
  }

  private describe(): string {
    return `The hashicorp/aws provider process${this.binary.version ? ` (${this.binary.version})` : ''}`;
  }
}

function describeExit(exit: Exit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
