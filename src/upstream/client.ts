// The gRPC client of the hashicorp/aws child: tfplugin5.Provider, go-plugin's controller and stdio stream, over the
// socket named in its handshake, with mutual TLS: our client certificate, and the child's server certificate from
// the handshake line as the only root, checked for the name `localhost` (as Terraform checks ours).
import * as grpc from '@grpc/grpc-js';
import { serviceDefinition } from '../protocol/definitions';
import type { GeneratedCertificate } from '../protocol/certificate';
import type { Logger } from '../protocol/log';
import type { Handshake } from './process';
import { tfplugin5 } from './tfplugin5';

const CLIENT_OPTIONS: grpc.ChannelOptions = {
  'grpc.ssl_target_name_override': 'localhost',
  'grpc.default_authority': 'localhost',
  // GetSchema answers ~5 MB; Terraform itself accepts up to 64 MiB for it.
  'grpc.max_receive_message_length': 256 * 1024 * 1024,
  'grpc.max_send_message_length': 256 * 1024 * 1024,
  'grpc.enable_channelz': 0,
};

type Method = grpc.MethodDefinition<unknown, unknown>;

export class UpstreamClient {
  private readonly client: grpc.Client;
  private readonly provider = tfplugin5.service('tfplugin5.Provider');
  private readonly controller = serviceDefinition('plugin.GRPCController');
  private stdio: grpc.ClientReadableStream<unknown> | undefined;

  constructor(handshake: Handshake, certificate: GeneratedCertificate) {
    const target = handshake.network === 'unix' ? `unix:${handshake.address}` : handshake.address;
    const credentials = grpc.credentials.createSsl(pemOf(handshake.serverCertDer), Buffer.from(certificate.keyPem), Buffer.from(certificate.certPem));
    this.client = new grpc.Client(target, credentials, CLIENT_OPTIONS);
  }

  /** One tfplugin5.Provider call; the answer is decoded with PROTO_LOADER_OPTIONS. Rejects with the gRPC error. */
  call(rpc: string, request: object): Promise<Record<string, unknown>> {
    const method = this.provider[rpc];
    if (!method) return Promise.reject(new Error(`tfplugin5.Provider has no RPC ${rpc}`));
    return this.unary(method, request) as Promise<Record<string, unknown>>;
  }

  /** One tfplugin5.Provider call whose answer is returned undecoded (GetSchema: decoded once, differently). */
  callRaw(rpc: string, request: object): Promise<Buffer> {
    const method = this.provider[rpc];
    if (!method) return Promise.reject(new Error(`tfplugin5.Provider has no RPC ${rpc}`));
    return this.unary({ ...method, responseDeserialize: (bytes: Buffer) => bytes }, request) as Promise<Buffer>;
  }

  /** GRPCController.Shutdown: the child stops serving and exits. */
  async shutdown(): Promise<void> {
    // go-plugin closes the connection as it stops, which may fail the call itself: that is still a shutdown.
    await this.unary(this.controller.Shutdown!, {}).catch(() => undefined);
  }

  /**
   * Read go-plugin's stdio stream (what the child writes to its own os.Stdout/os.Stderr after the handshake):
   * unread, it would block the child once a pipe buffer fills. The data goes to our log at debug level.
   */
  openStdio(log: () => Logger): void {
    const method = serviceDefinition('plugin.GRPCStdio').StreamStdio!;
    this.stdio = this.client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, {});
    this.stdio.on('data', (data: { channel?: string; data?: Buffer }) => {
      const text = data.data?.toString('utf8').trimEnd();
      if (text) log().debug('upstream output', { channel: data.channel, text });
    });
    this.stdio.on('error', () => {}); // ends with the child
  }

  close(): void {
    this.stdio?.cancel();
    this.client.close();
  }

  private unary(method: Method, request: object): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, (err, answer) =>
        err ? reject(err) : resolve(answer),
      );
    });
  }
}

function pemOf(der: Buffer): Buffer {
  const lines = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return Buffer.from(`-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`);
}
