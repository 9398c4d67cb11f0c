// The built provider as Terraform meets it (the protocol and compile-cache tests): build it when missing, launch it
// the way Terraform does, read its handshake line and talk to it with a grpc-js client.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Test } from 'tap';
import { MAGIC_COOKIE_VALUE } from '../../src/protocol/handshake';
import { PROTO_LOADER_OPTIONS } from '../../src/protocol/tfplugin6';
import { providerBinary, repoRoot } from './paths';
import { bounded } from './processes';

const descriptorsPath = join(repoRoot, 'src', 'protocol', 'descriptors.generated.json');
const upstreamDescriptorsPath = join(repoRoot, 'src', 'upstream', 'tfplugin5.generated.json');

/** Build the bundle (and descriptors) when missing, as `make build` would. */
export function ensureBuilt(): void {
  if (existsSync(providerBinary) && existsSync(descriptorsPath) && existsSync(upstreamDescriptorsPath)) return;
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
}

/** Environment Terraform gives a provider (minus PLUGIN_CLIENT_CERT, added per test). */
export function pluginEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // The process itself, not a warm server (test/warm/ covers those).
  const env: NodeJS.ProcessEnv = { ...process.env, TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', TF_AWS_WARM: '0' };
  delete env.PLUGIN_CLIENT_CERT;
  delete env.TF_LOG;
  delete env.TF_LOG_PROVIDER;
  return { ...env, ...extra };
}

export interface Launched {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** First stdout line, without the newline. Rejects if the process exits first, or prints none within 30 s. */
  handshake: Promise<string>;
  /** Rejects if the process has not exited within 60 s of the launch. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const HANDSHAKE_BOUND_MS = 30_000;
const EXIT_BOUND_MS = 60_000;

/**
 * Starts a command with piped stdio and collects its output. The test's teardown stops it if it still runs
 * (SIGTERM, which lets a provider remove its socket directory, then SIGKILL after 5 s), whatever the test did.
 */
function launch(t: Test, command: string, args: string[], env: NodeJS.ProcessEnv): Launched {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  const exited = bounded(exit, EXIT_BOUND_MS, `${command} to exit`);
  exited.catch(() => {});
  const handshake = bounded(
    new Promise<string>((res, rej) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const nl = out.indexOf('\n');
        if (nl >= 0) res(out.slice(0, nl));
      });
      void exit.then(({ code }) => rej(new Error(`exited (${code}) before the handshake; stderr: ${err}`)));
    }),
    HANDSHAKE_BOUND_MS,
    `the handshake line of ${command}`,
  );
  handshake.catch(() => {});
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  t.teardown(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const { signal } = await exit;
    clearTimeout(killer);
    // Killed, it could not remove the socket directory it made (tfprovider-*): that is done here.
    const line = out.split('\n')[0] ?? '';
    const address = line.split('|')[3];
    if (signal === 'SIGKILL' && line.split('|')[2] === 'unix' && address && /^tfprovider-/.test(basename(dirname(address)))) rmSync(dirname(address), { recursive: true, force: true });
  });
  return { child, stdout: () => out, stderr: () => err, handshake, exited };
}

export function launchProvider(t: Test, env: NodeJS.ProcessEnv, args: string[] = []): Launched {
  return launch(t, providerBinary, args, env);
}

/** Bundles a TypeScript program (one that calls servePlugin with handlers of its own) as the real binary is, and starts it. */
export function launchFixture(t: Test, entry: string, env: NodeJS.ProcessEnv): Launched {
  const outfile = join(mkdtempSync(join(tmpdir(), 'protocol-fixture-')), 'fixture.js');
  t.teardown(() => rmSync(dirname(outfile), { recursive: true, force: true }));
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  return launch(t, process.execPath, [outfile], env);
}

export interface HandshakeFields {
  core: string;
  app: string;
  network: string;
  address: string;
  protocol: string;
  cert: string;
}

export function parseHandshake(line: string): HandshakeFields {
  const [core, app, network, address, protocol, cert, ...rest] = line.split('|');
  if (rest.length > 0 || cert === undefined) throw new Error(`handshake must have 6 fields: ${line}`);
  return { core: core!, app: app!, network: network!, address: address!, protocol: protocol!, cert };
}

/** PEM of the server certificate carried (unpadded base64 DER) in the handshake line. */
export function certPemFromHandshake(b64: string): string {
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  return `-----BEGIN CERTIFICATE-----\n${padded.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

let packageDefinition: protoLoader.PackageDefinition | undefined;
function definitions(): protoLoader.PackageDefinition {
  packageDefinition ??= protoLoader.fromJSON(JSON.parse(readFileSync(descriptorsPath, 'utf8')), PROTO_LOADER_OPTIONS);
  return packageDefinition;
}

type Unary = (request: object, options?: grpc.CallOptions) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PluginClient {
  /** tfplugin6.Provider/<rpc> */
  provider(rpc: string): Unary;
  shutdown(): Promise<unknown>;
  health(service: string): Promise<unknown>;
  openStdio(): grpc.ClientReadableStream<unknown>;
  close(): void;
}

export function connect(
  handshake: HandshakeFields,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): PluginClient {
  const target = handshake.network === 'unix' ? `unix:${handshake.address}` : handshake.address;
  const options = {
    'grpc.ssl_target_name_override': 'localhost',
    'grpc.default_authority': 'localhost',
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
  };
  const make = (service: string) => {
    const Ctor = grpc.makeGenericClientConstructor(definitions()[service] as grpc.ServiceDefinition, service);
    return new Ctor(target, credentials, options) as unknown as Record<string, Function> & grpc.Client;
  };
  const provider = make('tfplugin6.Provider');
  const controller = make('plugin.GRPCController');
  const health = make('grpc.health.v1.Health');
  const stdio = make('plugin.GRPCStdio');
  const call =
    (client: Record<string, Function>, rpc: string): Unary =>
    (request, options = {}) =>
      new Promise((res, rej) =>
        client[rpc]!.call(client, request, { deadline: Date.now() + 10_000, ...options }, (err: Error | null, reply: unknown) =>
          err ? rej(err) : res(reply),
        ),
      );
  return {
    provider: (rpc) => call(provider, rpc),
    shutdown: () => call(controller, 'Shutdown')({}),
    health: (service) => call(health, 'Check')({ service }),
    openStdio: () => stdio.StreamStdio!.call(stdio, {}) as grpc.ClientReadableStream<unknown>,
    close: () => [provider, controller, health, stdio].forEach((c) => c.close()),
  };
}

export function tlsCredentials(serverCertPem: string, client?: { certPem: string; keyPem: string }): grpc.ChannelCredentials {
  return client
    ? grpc.credentials.createSsl(Buffer.from(serverCertPem), Buffer.from(client.keyPem), Buffer.from(client.certPem))
    : grpc.credentials.createSsl(Buffer.from(serverCertPem));
}
