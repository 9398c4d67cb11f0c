// The plugin process: go-plugin handshake, AutoMTLS, and the gRPC services Terraform talks to.
//
// Order matters for start-up time and for Terraform's line scanner: check the cookie, bind, print the
// handshake line, and only then load the provider itself (loadHandlers) while Terraform connects.
import { chmodSync, writeSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { generateCertificate } from './certificate';
import {
  createSocketLocation,
  handshakeLine,
  hasMagicCookie,
  negotiateProtocolVersion,
  NOT_A_PLUGIN_MESSAGE,
  type ListenAddress,
  type SocketLocation,
} from './handshake';
import { log as rootLog, type Logger } from './log';
import {
  errorDiagnostic,
  PROTO_LOADER_OPTIONS,
  PROVIDER_RPCS,
  type CallContext,
  type ProviderHandlers,
  type ProviderRpc,
} from './tfplugin6';
import descriptors from './descriptors.generated.json';

export interface ServeOptions {
  /** Defaults to process.argv.slice(2); `--debug` selects debug/reattach mode. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Provider address printed in debug mode's TF_REATTACH_PROVIDERS. */
  providerAddress?: string;
  logger?: Logger;
}

const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
const DEFAULT_PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';
/** How long a Shutdown waits for Terraform to close the connection before forcing exit. */
const SHUTDOWN_GRACE_MS = 500;
const PARENT_CHECK_INTERVAL_MS = 1000;

type LoadHandlers = () => ProviderHandlers | Promise<ProviderHandlers>;

/**
 * Run the provider as a go-plugin server and never return control to the caller's logic: the
 * process ends on Shutdown, on parent death, on SIGTERM, or (in --debug) on Ctrl-C.
 * `loadHandlers` is called once, right after the handshake line is written.
 */
export function servePlugin(loadHandlers: LoadHandlers, options: ServeOptions = {}): void {
  const env = options.env ?? process.env;
  const args = options.args ?? process.argv.slice(2);
  const debug = args.includes('--debug');
  const log = (options.logger ?? rootLog).child('protocol');

  if (!debug) {
    if (!hasMagicCookie(env)) {
      process.stderr.write(NOT_A_PLUGIN_MESSAGE);
      process.exit(1);
    }
    const version = negotiateProtocolVersion(env);
    if (version instanceof Error) {
      log.error(version.message);
      process.stderr.write(`${version.message}\n`);
      process.exit(1);
    }
  }

  // Terraform takes the first stdout line as the handshake and drops the rest; keep every stray
  // write (console.log from a dependency, ...) away from it.
  redirectStdoutToStderr();

  const plugin = new PluginServer(loadHandlers, log, debug);
  plugin.start(env, options.providerAddress ?? DEFAULT_PROVIDER_ADDRESS).catch((err: unknown) => {
    log.error('plugin server failed to start', { error: err });
    process.stderr.write(`failed to start the provider plugin server: ${errorMessage(err)}\n`);
    plugin.exit(1);
  });
}

function redirectStdoutToStderr(): void {
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = stderrWrite as typeof process.stdout.write;
}

/** Write to file descriptor 1 directly: the only path to the real stdout once it is redirected. */
function writeStdout(text: string): void {
  writeSync(1, text);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

type UnaryHandler = grpc.handleUnaryCall<unknown, unknown>;
type ProtoNamespace = Parameters<typeof protoLoader.fromJSON>[0];
type OpenStream = grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;

class PluginServer {
  private readonly server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  private socket: SocketLocation | undefined;
  private handlers: Promise<ProviderHandlers> | undefined;
  private stopController = new AbortController();
  private readonly openStreams = new Set<OpenStream>();
  private exiting = false;

  constructor(
    private readonly loadHandlers: LoadHandlers,
    private readonly log: Logger,
    private readonly debug: boolean,
  ) {}

  async start(env: NodeJS.ProcessEnv, providerAddress: string): Promise<void> {
    this.installProcessHandlers();
    const definitions = protoLoader.fromJSON(descriptors as unknown as ProtoNamespace, PROTO_LOADER_OPTIONS);
    this.addServices(definitions);

    const clientCert = env.PLUGIN_CLIENT_CERT;
    let serverCertDer: Buffer | undefined;
    let credentials: grpc.ServerCredentials;
    if (clientCert && !this.debug) {
      const cert = generateCertificate();
      serverCertDer = cert.certDer;
      // The client certificate Terraform generated is the only CA: no other client gets in.
      credentials = grpc.ServerCredentials.createSsl(
        Buffer.from(clientCert),
        [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }],
        true,
      );
    } else {
      credentials = grpc.ServerCredentials.createInsecure();
    }

    const listen = await this.bind(env, credentials);
    if (this.debug) {
      this.printReattachInstructions(listen, providerAddress);
    } else {
      writeStdout(handshakeLine(listen, serverCertDer));
    }
    this.log.debug('plugin server listening', { network: listen.network, address: listen.address, tls: !!serverCertDer });

    // Let the event loop accept Terraform's connection, then load the provider itself.
    setImmediate(() => void this.handlersReady().catch(() => {}));
  }

  private async initHandlers(): Promise<ProviderHandlers> {
    const handlers = await this.loadHandlers();
    if (handlers.init) await handlers.init();
    return handlers;
  }

  private async bind(env: NodeJS.ProcessEnv, credentials: grpc.ServerCredentials): Promise<ListenAddress> {
    const socket = createSocketLocation(env);
    if (socket) {
      try {
        await this.bindAsync(`unix:${socket.path}`, credentials);
        chmodSync(socket.path, 0o600);
        this.socket = socket;
        return { network: 'unix', address: socket.path };
      } catch (err) {
        socket.remove();
        this.log.warn('unix socket unavailable, falling back to TCP', { error: errorMessage(err) });
      }
    }
    const port = await this.bindAsync('127.0.0.1:0', credentials);
    return { network: 'tcp', address: `127.0.0.1:${port}` };
  }

  private bindAsync(target: string, credentials: grpc.ServerCredentials): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(target, credentials, (err, port) => (err ? reject(err) : resolve(port)));
    });
  }

  private printReattachInstructions(listen: ListenAddress, providerAddress: string): void {
    const reattach = {
      [providerAddress]: {
        Protocol: 'grpc',
        ProtocolVersion: 6,
        Pid: process.pid,
        Test: true,
        Addr: { Network: listen.network, String: listen.address },
      },
    };
    writeStdout(
      `Provider started in debug mode (plaintext gRPC, pid ${process.pid}).\n` +
        'To attach Terraform, run it with this environment variable set:\n\n' +
        `\tTF_REATTACH_PROVIDERS='${JSON.stringify(reattach)}'\n\n` +
        'Press Ctrl-C to stop the provider.\n',
    );
  }

  // --- services --------------------------------------------------------------------------------

  private addServices(definitions: protoLoader.PackageDefinition): void {
    const service = (name: string) => definitions[name] as grpc.ServiceDefinition;

    const provider: Record<string, UnaryHandler> = {};
    for (const rpc of PROVIDER_RPCS) provider[rpc] = this.unary(rpc);
    provider.StopProvider = (_call, callback) => {
      this.stopInFlightWork()
        .then(() => callback(null, {}))
        .catch((err: unknown) => callback(null, { Error: errorMessage(err) }));
    };
    this.server.addService(this.withSafeSerializers(service('tfplugin6.Provider')), provider);

    this.server.addService(service('plugin.GRPCController'), {
      Shutdown: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => {
        callback(null, {});
        if (this.debug) {
          this.log.info('Shutdown ignored in debug mode; stop the provider with Ctrl-C');
          return;
        }
        setImmediate(() => this.shutdown());
      },
    });

    // Terraform opens both streams once per process; nothing is ever sent on them.
    this.server.addService(service('plugin.GRPCStdio'), {
      StreamStdio: (call: grpc.ServerWritableStream<unknown, unknown>) => this.track(call),
    });
    this.server.addService(service('plugin.GRPCBroker'), {
      StartStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
        this.track(call);
        call.on('data', () => {});
        call.on('end', () => call.end());
      },
    });

    this.server.addService(service('grpc.health.v1.Health'), {
      Check: (call: grpc.ServerUnaryCall<{ service: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const name = call.request.service;
        if (name === '' || name === 'plugin') callback(null, { status: 'SERVING' });
        else callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${name}` });
      },
      Watch: (call: grpc.ServerWritableStream<{ service: string }, unknown>) => {
        this.track(call);
        call.write({ status: 'SERVING' });
      },
    });
  }

  private track(call: OpenStream): void {
    this.openStreams.add(call);
    const forget = () => this.openStreams.delete(call);
    call.on('cancelled', forget);
    call.on('finish', forget);
    call.on('error', forget);
  }

  /** A unary handler that always answers with a response message, never a gRPC error status. */
  private unary(rpc: ProviderRpc): UnaryHandler {
    const log = this.log.child(rpc);
    return (call, callback) => {
      const context: CallContext = { signal: this.stopController.signal, rpc, log };
      const started = performance.now();
      this.handlersReady()
        .then((handlers) => {
          const handler = handlers[rpc] as ((req: unknown, ctx: CallContext) => Promise<unknown>) | undefined;
          if (!handler) return missingHandlerResponse(rpc);
          return handler.call(handlers, call.request, context);
        })
        .then(
          (response) => {
            log.trace('rpc done', { ms: Math.round(performance.now() - started) });
            callback(null, response ?? {});
          },
          (err: unknown) => {
            if (err instanceof UnimplementedRpc) {
              callback({ code: grpc.status.UNIMPLEMENTED, details: err.message });
              return;
            }
            log.error('Internal provider error', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
            callback(null, internalErrorResponse(rpc, errorMessage(err)));
          },
        );
    };
  }

  private handlersReady(): Promise<ProviderHandlers> {
    // Loaded once, by whichever comes first: the post-handshake setImmediate or the first RPC.
    if (!this.handlers) this.handlers = this.initHandlers();
    return this.handlers;
  }

  /**
   * A response the handler produced but protobuf cannot encode (wrong field type, ...) would become
   * a gRPC INTERNAL status, which Terraform reports only as "Plugin did not respond". Encode an
   * error diagnostic instead, naming the problem.
   */
  private withSafeSerializers(definition: grpc.ServiceDefinition): grpc.ServiceDefinition {
    const safe: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
    for (const [name, method] of Object.entries(definition)) {
      const serialize = method.responseSerialize;
      safe[name] = {
        ...method,
        responseSerialize: (value: unknown) => {
          try {
            return serialize(value);
          } catch (err) {
            this.log.error('provider response could not be encoded', { rpc: name, error: errorMessage(err) });
            return serialize(internalErrorResponse(name, `invalid ${name} response: ${errorMessage(err)}`));
          }
        },
      };
    }
    return safe;
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /** StopProvider: cancel in-flight work; later calls get a fresh signal (reattach mode reuses us). */
  private async stopInFlightWork(): Promise<void> {
    this.log.info('StopProvider received: cancelling in-flight work');
    const stopped = this.stopController;
    this.stopController = new AbortController();
    stopped.abort(new Error('Terraform asked the provider to stop'));
    if (this.handlers) {
      const handlers = await this.handlers.catch(() => undefined);
      await handlers?.stop?.();
    }
  }

  /** Shutdown: stop serving, let Terraform's connection close, and exit. */
  private shutdown(): void {
    this.log.debug('Shutdown received: exiting');
    for (const call of this.openStreams) call.end();
    this.server.tryShutdown(() => this.exit(0));
    setTimeout(() => {
      this.server.forceShutdown();
      this.exit(0);
    }, SHUTDOWN_GRACE_MS);
  }

  exit(code: number): void {
    if (this.exiting) return;
    this.exiting = true;
    this.socket?.remove();
    process.exit(code);
  }

  private installProcessHandlers(): void {
    process.on('exit', () => this.socket?.remove());
    process.on('SIGTERM', () => this.exit(143));
    process.on('uncaughtException', (err) => {
      this.log.error('uncaught exception', { error: err.stack ?? err.message });
      process.stderr.write(`${err.stack ?? err.message}\n`);
      this.exit(1);
    });

    if (this.debug) {
      process.on('SIGINT', () => this.exit(0));
      return;
    }
    // Ctrl-C reaches the whole process group; Terraform handles it by calling StopProvider and then
    // Shutdown, so the provider must survive the signal itself.
    process.on('SIGINT', () => this.log.debug('SIGINT ignored; waiting for StopProvider/Shutdown'));

    const parent = process.ppid;
    setInterval(() => {
      if (!isAlive(parent)) {
        this.log.warn('parent process exited; shutting down', { ppid: parent });
        this.exit(0);
      }
    }, PARENT_CHECK_INTERVAL_MS).unref();
  }
}

/** process.ppid is fixed at start-up in Node 20, so probe the original parent instead. */
function isAlive(pid: number): boolean {
  if (pid <= 1) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

class UnimplementedRpc extends Error {}

function missingHandlerResponse(rpc: ProviderRpc): unknown {
  switch (rpc) {
    case 'GetMetadata':
      throw new UnimplementedRpc('GetMetadata is not implemented; use GetProviderSchema');
    case 'GetFunctions':
      return { functions: {}, diagnostics: [] };
    case 'CallFunction':
      return { error: { text: 'this provider defines no functions' } };
    default:
      return { diagnostics: [errorDiagnostic('Unsupported operation', `This provider does not implement ${rpc}.`)] };
  }
}

function internalErrorResponse(rpc: string, message: string): unknown {
  if (rpc === 'CallFunction') return { error: { text: `Internal provider error: ${message}` } };
  if (rpc === 'StopProvider') return { Error: message };
  const diagnostics = [errorDiagnostic('Internal provider error', message)];
  // Terraform insists on a provider schema even when the call failed.
  if (rpc === 'GetProviderSchema') return { provider: { version: 0, block: {} }, diagnostics };
  return { diagnostics };
}
