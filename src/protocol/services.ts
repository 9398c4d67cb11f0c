// The gRPC side of the plugin: tfplugin6.Provider around the provider's handlers, go-plugin's
// controller/stdio/broker, and grpc.health.v1. Loaded only after the handshake line is out (see
// server.ts): connections accepted meanwhile are handed over through a grpc-js connection injector.
import type { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { serviceDefinition } from './definitions';
import type { Logger } from './log';
import { EncodedResponse, errorDiagnostic, PROVIDER_RPCS, type CallContext, type ProviderHandlers, type ProviderRpc } from './tfplugin6';

const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** How long Shutdown waits for the handlers' close() (see closeHandlers). */
const CLOSE_HANDLERS_MS = 1_200;

export interface ServicesOptions {
  /** PEM of Terraform's client certificate (the only CA for client auth); plaintext when absent. */
  clientCertPem?: string;
  server?: { certPem: string; keyPem: string };
  handlers: () => Promise<ProviderHandlers>;
  log: Logger;
  /** Called after Shutdown was answered; the caller ends the process. */
  onShutdown: () => void;
  /**
   * Runs each RPC's work; a warm server (src/warm/) runs it in its instance's context, so that what the handlers log
   * through the root logger reaches that instance's launch.
   */
  enter?: <T>(work: () => T) => T;
}

type UnaryHandler = grpc.handleUnaryCall<unknown, unknown>;
type OpenStream = grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;

export class PluginServices {
  private readonly server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    // channelz keeps per-call statistics for a debugging service we never register.
    'grpc.enable_channelz': 0,
  });
  private readonly injector: grpc.ConnectionInjector;
  private stopController = new AbortController();
  private readonly openStreams = new Set<OpenStream>();
  private readonly log: Logger;

  constructor(private readonly options: ServicesOptions) {
    this.log = options.log;
    this.addServices();
    const credentials =
      options.clientCertPem && options.server
        ? // Terraform's per-launch certificate is the only CA: no other client gets in.
          grpc.ServerCredentials.createSsl(
            Buffer.from(options.clientCertPem),
            [{ private_key: Buffer.from(options.server.keyPem), cert_chain: Buffer.from(options.server.certPem) }],
            true,
          )
        : grpc.ServerCredentials.createInsecure();
    this.injector = this.server.createConnectionInjector(credentials);
  }

  /** Serve gRPC (TLS first, when configured) on a connection accepted by the listener. */
  accept(connection: Duplex): void {
    this.injector.injectConnection(connection);
  }

  /** Close open streams and sessions; `done` runs when everything is closed. */
  close(done: () => void): void {
    for (const call of this.openStreams) call.end();
    this.server.tryShutdown(() => done());
  }

  forceClose(): void {
    this.server.forceShutdown();
  }

  /** The launch is gone (its launcher killed): cancel in-flight work, release what the handlers hold, drop every call. */
  async abandon(): Promise<void> {
    const work = async () => {
      await this.stopInFlightWork('the launch this instance served has ended').catch(() => {});
      await this.closeHandlers();
    };
    await (this.options.enter ? this.options.enter(work) : work());
    this.server.forceShutdown();
  }

  private addServices(): void {
    const provider: Record<string, UnaryHandler> = {};
    for (const rpc of PROVIDER_RPCS) provider[rpc] = this.inContext(this.unary(rpc));
    provider.StopProvider = this.inContext((_call, callback) => {
      this.stopInFlightWork()
        .then(() => callback(null, {}))
        .catch((err: unknown) => callback(null, { Error: errorMessage(err) }));
    });
    this.server.addService(this.withSafeSerializers(serviceDefinition('tfplugin6.Provider')), provider);

    this.server.addService(serviceDefinition('plugin.GRPCController'), {
      Shutdown: this.inContext((_call, callback) => {
        callback(null, {});
        void this.closeHandlers().finally(() => this.options.onShutdown());
      }),
    });

    // Terraform opens both streams once per process; nothing is ever sent on them.
    this.server.addService(serviceDefinition('plugin.GRPCStdio'), {
      StreamStdio: (call: grpc.ServerWritableStream<unknown, unknown>) => this.track(call),
    });
    this.server.addService(serviceDefinition('plugin.GRPCBroker'), {
      StartStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
        this.track(call);
        call.on('data', () => {});
        call.on('end', () => call.end());
      },
    });

    this.server.addService(serviceDefinition('grpc.health.v1.Health'), {
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

  private inContext(handler: UnaryHandler): UnaryHandler {
    const { enter } = this.options;
    return enter ? (call, callback) => enter(() => handler(call, callback)) : handler;
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
      this.options
        .handlers()
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
          if (value instanceof EncodedResponse) return value.bytes;
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

  /** Give the handlers' close() a bounded time: Terraform kills a plugin that has not exited 2 s after Shutdown. */
  private async closeHandlers(): Promise<void> {
    const handlers = await this.options.handlers().catch(() => undefined);
    if (!handlers?.close) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_HANDLERS_MS)));
    await Promise.race([Promise.resolve(handlers.close()).catch((err: unknown) => this.log.warn('close failed', { error: errorMessage(err) })), timeout]);
    clearTimeout(timer);
  }

  /** StopProvider: cancel in-flight work; later calls get a fresh signal (reattach mode reuses us). */
  private async stopInFlightWork(reason = 'StopProvider received'): Promise<void> {
    this.log.info(`${reason}: cancelling in-flight work`);
    const stopped = this.stopController;
    this.stopController = new AbortController();
    stopped.abort(new Error('Terraform asked the provider to stop'));
    const handlers = await this.options.handlers().catch(() => undefined);
    await handlers?.stop?.();
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
