// The upstream provider as the router sees it: a binary that may be started (once, on demand), its cached schema,
// and tfplugin6 calls answered by its tfplugin5 RPCs.
import { generateCertificate } from '../protocol/certificate';
import type { Environment } from '../protocol/launch';
import type { Logger } from '../protocol/log';
import type * as tf from '../protocol/tfplugin6';
import { UpstreamClient } from './client';
import type { UpstreamBinary } from './discovery';
import { UpstreamError, UpstreamProcess, type Exit, type StartOptions } from './process';
import { binaryIdentity, loadSchema, storeSchema, type UpstreamSchema } from './schema-cache';
import { ANSWER_FIELDS_DROPPED, tfplugin5, V5_RPC, type ForwardedRpc } from './tfplugin5';

export { UpstreamError } from './process';

/** How long Shutdown waits for the child to exit by itself before killing it. */
const SHUTDOWN_GRACE_MS = 1_000;
/** After a failed call, how long to wait for the process exit that may explain it. */
const EXIT_EXPLAINS_FAILURE_MS = 300;

export interface UpstreamOptions {
  binary: UpstreamBinary;
  log: Logger;
  cacheDir: string;
  /** The launch's environment and working directory, the child's own. */
  env: Environment;
  cwd: string;
  startTimeoutMs?: number;
  guard?: StartOptions['guard'];
}

export class Upstream {
  private session: Promise<Session> | undefined;
  /** The session once started (undefined while it is starting). */
  private running: Session | undefined;
  private schemaLoaded: Promise<UpstreamSchema> | undefined;
  private readonly log: Logger;

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

  /** The running child, started on the first call. Rejects with an UpstreamError (remembered: no restart). */
  connect(): Promise<Session> {
    this.session ??= Session.start(this.options).then((session) => (this.running = session));
    return this.session;
  }

  /** StopProvider: forwarded to a running child (one still starting has nothing to stop, and is not waited for). */
  async stop(): Promise<void> {
    await this.running?.call('StopProvider', {}).catch(() => undefined);
  }

  /** GRPCController.Shutdown to a running child; killed if it has not exited in time (our exit kills it anyway). */
  async close(): Promise<void> {
    await this.running?.close();
  }
}

export class Session {
  private constructor(
    private readonly process: UpstreamProcess,
    private readonly client: UpstreamClient,
    private readonly log: Logger,
    private readonly binary: UpstreamBinary,
  ) {}

  static async start(options: UpstreamOptions): Promise<Session> {
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
    client.openStdio(log.child('upstream'));
    void child.exited.then((exit) => {
      log[exit.code === 0 ? 'debug' : 'warn']('upstream provider exited', { pid: child.pid, code: exit.code, signal: exit.signal });
      client.close();
    });
    return new Session(child, client, log, binary);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Forward one tfplugin6 call as its tfplugin5 RPC; the answer has the tfplugin6 shape. */
  async call(rpc: ForwardedRpc, request: object): Promise<Record<string, unknown>> {
    this.assertAlive(rpc);
    try {
      const answer = await this.client.call(V5_RPC[rpc], request);
      for (const field of ANSWER_FIELDS_DROPPED[rpc] ?? []) delete answer[field];
      return answer;
    } catch (err) {
      throw await this.failure(rpc, err);
    }
  }

  /** The same, with the answer undecoded. */
  async callRaw(rpc: ForwardedRpc, request: object): Promise<Buffer> {
    this.assertAlive(rpc);
    try {
      return await this.client.callRaw(V5_RPC[rpc], request);
    } catch (err) {
      throw await this.failure(rpc, err);
    }
  }

  async close(): Promise<void> {
    if (this.process.exitStatus) return;
    await this.client.shutdown();
    const exited = await Promise.race([this.process.exited.then(() => true), delay(SHUTDOWN_GRACE_MS).then(() => false)]);
    if (!exited) {
      this.log.warn('upstream provider did not exit after Shutdown; killing it', { pid: this.process.pid });
      this.process.kill();
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
