// The real hashicorp/aws 5.100.0 as one long-lived process that every terraform command of a test file attaches
// to (TF_REATTACH_PROVIDERS), instead of the 3-5 launches per command that cost ~8 s and ~500 MiB each.
//
// The binary runs in its own debug mode (plaintext gRPC on a unix socket). In front of it sits a small proxy
// that forwards every tfplugin5 call as raw bytes and remembers the answers of the two pure calls that Terraform
// repeats in every walk of every command: GetSchema (hashicorp/aws rebuilds its 13 MB schema, ~3 s of CPU, each
// time) and PrepareProviderConfig for the same configuration bytes (~6 s each). Nothing else is changed, so what
// Terraform sees is what hashicorp/aws answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { hashicorpMirror } from '../support/terraform';

/** The RPCs of tfplugin5.Provider that Terraform 1.11 may call. */
const TFPLUGIN5_RPCS = [
  'GetMetadata', 'GetSchema', 'PrepareProviderConfig', 'ValidateResourceTypeConfig', 'ValidateDataSourceConfig',
  'UpgradeResourceState', 'Configure', 'ReadResource', 'PlanResourceChange', 'ApplyResourceChange',
  'ImportResourceState', 'MoveResourceState', 'ReadDataSource', 'GetFunctions', 'CallFunction',
  'ValidateEphemeralResourceConfig', 'OpenEphemeralResource', 'RenewEphemeralResource', 'CloseEphemeralResource', 'Stop',
];
const PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';
const BINARY = 'terraform-provider-aws_v5.100.0_x5';
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export interface HashicorpServer {
  /** Environment for terraform: TF_REATTACH_PROVIDERS pointing at the proxy. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const identity = (bytes: Buffer): Buffer => bytes;

/** Starts hashicorp/aws 5.100.0 in debug mode behind the caching proxy. */
export async function startHashicorpServer(): Promise<HashicorpServer> {
  const binary = join(hashicorpMirror(), PROVIDER_ADDRESS, '5.100.0/linux_amd64', BINARY);
  const env = { ...process.env };
  // hashicorp/aws refuses to configure with AWS_CA_BUNDLE set ("unable to add custom RootCAs HTTPClient"); the
  // endpoints here are plain HTTP, so the bundle means nothing to them.
  delete env.AWS_CA_BUNDLE;
  const child = spawn(binary, ['-debug'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const killChild = () => child.kill('SIGKILL');
  process.on('exit', killChild);
  child.stderr!.resume();
  const upstreamAddress = await reattachAddress(child);

  const upstream = new grpc.Client(`unix://${upstreamAddress}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  // Answers of pure calls, by RPC and request bytes.
  const remembered = new Map<string, Promise<Buffer>>();
  const PURE_RPCS = new Set(['GetSchema', 'PrepareProviderConfig']);
  const forward = (rpc: string, request: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      upstream.makeUnaryRequest(`/tfplugin5.Provider/${rpc}`, identity, identity, request, (error, response) =>
        error ? reject(error) : resolve(response!),
      );
    });

  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  const definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const rpc of TFPLUGIN5_RPCS) {
    definition[rpc] = {
      path: `/tfplugin5.Provider/${rpc}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    };
    handlers[rpc] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      let answer: Promise<Buffer>;
      if (PURE_RPCS.has(rpc)) {
        const key = `${rpc}:${call.request.toString('base64')}`;
        answer = remembered.get(key) ?? forward(rpc, call.request);
        remembered.set(key, answer);
      } else {
        answer = forward(rpc, call.request);
      }
      answer.then(
        (response) => callback(null, response),
        (error: grpc.ServiceError) => callback(error),
      );
    };
  }
  server.addService(definition, handlers);
  const socketDir = mkdtempSync(join(tmpdir(), 'tf-hashicorp-'));
  const socket = join(socketDir, 'proxy.sock');
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
  );

  const reattach = {
    [PROVIDER_ADDRESS]: { Protocol: 'grpc', ProtocolVersion: 5, Pid: child.pid, Test: true, Addr: { Network: 'unix', String: socket } },
  };
  return {
    env: { TF_REATTACH_PROVIDERS: JSON.stringify(reattach) },
    async stop() {
      process.off('exit', killChild);
      server.forceShutdown();
      upstream.close();
      const exited = new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done())));
      // SIGINT: in debug mode hashicorp/aws stops serving and removes its socket (plugin<N> in TMPDIR); SIGTERM kills it
      // outright and leaves the socket behind.
      child.kill('SIGINT');
      const timer = setTimeout(killChild, 5_000);
      await exited;
      clearTimeout(timer);
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/** Reads the unix socket address from the TF_REATTACH_PROVIDERS line the debug mode prints. */
function reattachAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`hashicorp/aws did not start within 60 s:\n${stdout}`)), 60_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      const parsed = JSON.parse(match[1]) as Record<string, { Addr: { String: string } }>;
      resolve(parsed[PROVIDER_ADDRESS].Addr.String);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hashicorp/aws exited with ${String(code)} before serving:\n${stdout}`));
    });
  });
}
