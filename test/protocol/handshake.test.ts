// The built provider binary, launched the way Terraform launches it.
import t from 'tap';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { connect as plainConnect } from 'node:net';
import { dirname } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { status, type ServiceError } from '@grpc/grpc-js';
import { generateCertificate } from '../../src/protocol/certificate';
import { NOT_A_PLUGIN_MESSAGE } from '../../src/protocol/handshake';
import { certPemFromHandshake, connect, ensureBuilt, launchProvider, parseHandshake, pluginEnv, tlsCredentials } from '../support/provider-process';
import { providerBinary, providerBinDir } from '../support/paths';
import { commandLine, isAlive, waitFor } from '../support/processes';

t.before(() => ensureBuilt());

/** What a TLS client on the provider's socket sees: the TLS error, or the first bytes the server sent before closing. */
function tlsAttempt(address: string, serverCertPem: string, client?: { certPem: string; keyPem: string }): Promise<{ error?: string; received: Buffer }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = tlsConnect({ path: address, ca: serverCertPem, servername: 'localhost', cert: client?.certPem, key: client?.keyPem, ALPNProtocols: ['h2'] });
    socket.setTimeout(30_000, () => socket.destroy(Object.assign(new Error('no answer within 30 s'), { code: 'TEST_TIMEOUT' })));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (Buffer.concat(chunks).length >= 9) socket.end(); // one HTTP/2 frame header is enough
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code, received: Buffer.concat(chunks) }));
    socket.on('close', () => resolve({ received: Buffer.concat(chunks) }));
  });
}

/** The type of the HTTP/2 frame whose 9-byte header starts `bytes` (4 = SETTINGS, the server's preface). */
const frameType = (bytes: Buffer) => (bytes.length >= 9 ? bytes[3] : undefined);

/** The gRPC error of a GetProviderSchema call that must fail. */
async function refusal(client: ReturnType<typeof connect>): Promise<ServiceError> {
  try {
    await client.provider('GetProviderSchema')({}, { deadline: Date.now() + 3000 });
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('the call was served');
}

t.test('refuses to run without the magic cookie', async (t) => {
  const env = pluginEnv();
  delete env.TF_PLUGIN_MAGIC_COOKIE;
  const p = launchProvider(t, env);
  const { code } = await p.exited;
  t.equal(code, 1);
  t.equal(p.stderr(), NOT_A_PLUGIN_MESSAGE);
  t.equal(p.stdout(), '', 'nothing on stdout');
});

t.test('refuses a client that does not offer protocol 6', async (t) => {
  const p = launchProvider(t, pluginEnv({ PLUGIN_PROTOCOL_VERSIONS: '5' }));
  const { code } = await p.exited;
  t.equal(code, 1);
  const lines = p.stderr().trimEnd().split('\n');
  t.equal(lines.at(-1), 'Incompatible API version with plugin. Plugin version: 6, Client versions: [5]', 'go-plugin\'s message, as the last line');
  t.match(JSON.parse(lines[0]!), { '@level': 'error', '@message': lines.at(-1) }, 'and the same as an hclog error');
  t.equal(p.stdout(), '');
});

t.test('AutoMTLS over a private unix socket', async (t) => {
  const terraformCert = generateCertificate(); // plays Terraform's per-launch client certificate
  const p = launchProvider(t, pluginEnv({ PLUGIN_PROTOCOL_VERSIONS: '6,5', PLUGIN_CLIENT_CERT: terraformCert.certPem }));
  const line = await p.handshake;
  const hs = parseHandshake(line);

  t.test('handshake line', async (t) => {
    t.equal(hs.core, '1');
    t.equal(hs.app, '6');
    t.equal(hs.network, 'unix');
    t.equal(hs.protocol, 'grpc');
    t.notMatch(hs.cert, /[=\-_]/, 'standard base64 without padding');
    const socket = statSync(hs.address);
    t.ok(socket.isSocket());
    t.equal(socket.mode & 0o777, 0o600, 'socket 0600');
    t.equal(statSync(dirname(hs.address)).mode & 0o777, 0o700, 'socket directory private');
    const cert = new X509Certificate(Buffer.from(hs.cert, 'base64'));
    t.equal(cert.subjectAltName, 'DNS:localhost');
    t.ok(cert.checkHost('localhost'));
    t.ok(cert.keyUsage?.includes('1.3.6.1.5.5.7.3.1'), 'EKU serverAuth');
    t.ok(cert.verify(cert.publicKey), 'self-signed');
  });

  const serverCertPem = certPemFromHandshake(hs.cert);

  t.test('a client presenting the expected certificate is served', async (t) => {
    const client = connect(hs, tlsCredentials(serverCertPem, terraformCert));
    t.teardown(() => client.close());
    const schema = await client.provider('GetProviderSchema')({});
    t.ok(schema.provider, 'provider schema present');
    t.same(schema.diagnostics, []);
    t.same(await client.health('plugin'), { status: 'SERVING' });
  });

  t.test('a client presenting another certificate is refused', async (t) => {
    // TLS 1.3 finishes the handshake before the server has checked the client's certificate; the server then
    // closes the connection without a byte, where Terraform's certificate gets the server's HTTP/2 SETTINGS.
    const accepted = await tlsAttempt(hs.address, serverCertPem, terraformCert);
    t.equal(accepted.error, undefined, 'Terraform\'s certificate: no TLS error');
    t.equal(frameType(accepted.received), 4, 'Terraform\'s certificate: the server speaks HTTP/2 first (SETTINGS)');
    const intruder = generateCertificate();
    const refused = await tlsAttempt(hs.address, serverCertPem, intruder);
    t.equal(refused.error, undefined, 'another certificate: the handshake itself completes');
    t.equal(refused.received.length, 0, 'another certificate: the server closes without sending anything');
    const client = connect(hs, tlsCredentials(serverCertPem, intruder));
    t.teardown(() => client.close());
    t.match(await refusal(client), { code: status.UNAVAILABLE, details: /^No connection established/ }, 'gRPC: no connection, not a failed call');
  });

  t.test('a client presenting no certificate is refused', async (t) => {
    const refused = await tlsAttempt(hs.address, serverCertPem);
    t.equal(refused.error, 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'the server sends TLS 1.3\'s certificate_required alert');
    const client = connect(hs, tlsCredentials(serverCertPem));
    t.teardown(() => client.close());
    t.match(await refusal(client), { code: status.UNAVAILABLE, details: /tlsv13 alert certificate required/ });
  });

  t.test('a plaintext client is refused', async (t) => {
    const received = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = plainConnect({ path: hs.address }, () => socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
      socket.setTimeout(30_000, () => socket.destroy(new Error('the connection was neither answered nor closed within 30 s')));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks)));
    });
    t.equal(received.length, 0, 'the HTTP/2 preface in plaintext gets the connection closed, with nothing sent back');
    const client = connect(hs);
    t.teardown(() => client.close());
    t.match(await refusal(client), { code: status.UNAVAILABLE, details: /^No connection established/ });
  });

  t.test('Shutdown replies, the process exits and the socket is removed', async (t) => {
    const client = connect(hs, tlsCredentials(serverCertPem, terraformCert));
    const stdio = client.openStdio(); // Terraform keeps this stream open until the end
    stdio.on('error', () => {});
    await client.provider('GetProviderSchema')({});
    t.same(await client.shutdown(), {});
    client.close();
    const { code } = await p.exited;
    t.equal(code, 0);
    t.notOk(existsSync(hs.address), 'socket removed');
    t.notOk(existsSync(dirname(hs.address)), 'socket directory removed');
    t.equal(p.stdout(), `${line}\n`, 'exactly one line on stdout');
  });
});

t.test('plaintext without PLUGIN_CLIENT_CERT (TF_DISABLE_PLUGIN_TLS)', async (t) => {
  const p = launchProvider(t, pluginEnv());
  const hs = parseHandshake(await p.handshake);
  t.equal(hs.cert, '', 'no certificate in the handshake');
  const client = connect(hs);
  t.teardown(() => client.close());
  t.ok((await client.provider('GetProviderSchema')({})).provider);
});

t.test('SIGINT is ignored; SIGTERM exits and cleans up', async (t) => {
  const p = launchProvider(t, pluginEnv());
  const hs = parseHandshake(await p.handshake);
  p.child.kill('SIGINT');
  const client = connect(hs);
  t.teardown(() => client.close());
  t.ok((await client.provider('GetProviderSchema')({})).provider, 'still serving after SIGINT');
  p.child.kill('SIGTERM');
  await p.exited;
  await waitFor('the socket to be removed', () => !existsSync(hs.address), 5_000, 20);
  t.notOk(existsSync(dirname(hs.address)));
});

t.test('falls back to TCP when no unix socket can be made', async (t) => {
  const p = launchProvider(t, pluginEnv({ PLUGIN_UNIX_SOCKET_DIR: '/nonexistent/socket/dir' }));
  const hs = parseHandshake(await p.handshake);
  t.equal(hs.network, 'tcp');
  t.match(hs.address, /^127\.0\.0\.1:\d+$/);
  const client = connect(hs);
  t.teardown(() => client.close());
  t.ok((await client.provider('GetProviderSchema')({})).provider);
});

t.test('--debug serves plaintext without the cookie and prints TF_REATTACH_PROVIDERS', async (t) => {
  const env = pluginEnv();
  delete env.TF_PLUGIN_MAGIC_COOKIE;
  const p = launchProvider(t, env, ['--debug']);
  await waitFor('the reattach line', () => /TF_REATTACH_PROVIDERS='(.*)'/.test(p.stdout()), 5_000, 20);
  const reattach = JSON.parse(/TF_REATTACH_PROVIDERS='(.*)'/.exec(p.stdout())![1]!);
  const entry = reattach['registry.terraform.io/hashicorp/aws'];
  t.match(entry, { Protocol: 'grpc', ProtocolVersion: 6, Pid: p.child.pid, Test: true, Addr: { Network: 'unix' } });
  const client = connect({ core: '1', app: '6', network: 'unix', address: entry.Addr.String, protocol: 'grpc', cert: '' });
  t.teardown(() => client.close());
  t.ok((await client.provider('GetProviderSchema')({})).provider);
  p.child.kill('SIGINT');
  const { code } = await p.exited;
  t.equal(code, 0, 'Ctrl-C ends debug mode');
  t.notOk(existsSync(entry.Addr.String));
});

t.test('exits when its parent (Terraform) dies', async (t) => {
  // sh plays Terraform: it starts the provider (handshake line to sh's stderr), reports its pid, then is killed.
  const parent = spawn('sh', ['-c', '"$0" 1>&2 & echo $!; wait', providerBinary], { env: pluginEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let pid: number | undefined;
  // Whatever happens below, neither sh nor the provider outlives the test (the provider only while it is still the
  // process sh started: alive and running our binary).
  t.teardown(() => {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    if (pid !== undefined && isAlive(pid) && commandLine(pid).includes(providerBinDir)) process.kill(pid, 'SIGKILL');
  });
  let out = '';
  let err = '';
  parent.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  parent.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await waitFor('the handshake line', () => out.includes('\n') && err.includes('|grpc|'), 30_000, 20);
  pid = Number(out.trim());
  const socketPath = parseHandshake(err.split('\n')[0]!).address;
  t.ok(isAlive(pid), 'provider running');
  parent.kill('SIGKILL');
  await waitFor('the process to exit', () => !isAlive(pid!), 10_000, 20);
  t.notOk(isAlive(pid), 'provider exited after its parent');
  t.notOk(existsSync(socketPath), 'and removed its socket');
});

