// Proxies for the AWS API (http_proxy / https_proxy / no_proxy and their environment variables), through the real
// terraform CLI. The endpoints are named by a host that does not resolve (aws.proxy-test.invalid), so a call can only
// succeed by going through the forward proxy this test runs, which records it and passes it on to the real target.
import t from 'tap';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACC_TARGET, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { useTarget } from '../support/target';

const UNRESOLVABLE_HOST = 'aws.proxy-test.invalid';

interface ProxiedCall {
  host: string;
  /** X-Amz-Target: the SageMaker operation (IAM and STS name theirs in the body, not read here). */
  operation: string;
}

/** A forward proxy (absolute-URI requests) that sends every request to `upstream`, whatever host it names. */
async function startForwardProxy(upstream: URL): Promise<{ url: string; calls: ProxiedCall[]; stop(): Promise<void> }> {
  const calls: ProxiedCall[] = [];
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    // A forward proxy is sent the full URL; anything else is a client bug, answered at once.
    if (!/^https?:\/\//.test(incoming.url ?? '')) {
      calls.push({ host: '', operation: `not a proxy request: ${incoming.method} ${incoming.url}` });
      outgoing.writeHead(400).end('a proxy request needs an absolute URL');
      return;
    }
    const asked = new URL(incoming.url!);
    calls.push({ host: asked.host, operation: String(incoming.headers['x-amz-target'] ?? '') });
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: `${asked.pathname}${asked.search}`, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => outgoing.destroy(error));
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const setup = useTarget(t);

/** The provider block with every endpoint on the unresolvable host (same port as the target), plus `extra`. */
function providerWithUnresolvableEndpoints(extra: string): string {
  return providerBlock({ ...setup.target, url: `http://${UNRESOLVABLE_HOST}:${new URL(setup.target.url!).port}` }, extra);
}

/** Terraform wraps diagnostics at 78 columns; compare texts with every run of white space as one space. */
function unwrapped(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function modelConfig(name: string): string {
  return `
resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = "${setup.role}"
  primary_container {
    image = "174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1"
  }
}
`;
}

const forwardable = ACC_TARGET === 'embedded' || ACC_TARGET.startsWith('http://');

t.test('AWS calls go through the configured proxy', { skip: !forwardable && 'the test proxy forwards to an http:// endpoint only' }, async (t) => {
  const proxy = await startForwardProxy(new URL(setup.target.url!));
  t.teardown(() => proxy.stop());
  const name = uniqueName('tfacc-proxy');
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  const operations = (from = 0) => proxy.calls.slice(from).map((call) => call.operation.replace(/^SageMaker\./, ''));

  await t.test('http_proxy: create, read and destroy through the proxy', async (t) => {
    ws.config(providerWithUnresolvableEndpoints(`  http_proxy  = "${proxy.url}"\n  https_proxy = ""`) + modelConfig(name));
    const applied = await ws.apply();
    t.notMatch(applied.stdout, /Missing HTTPS Proxy/, 'no warning: https_proxy is set (to none)');
    t.ok(operations().includes('CreateModel'), 'CreateModel went through the proxy');
    t.ok(proxy.calls.every((call) => call.host === `${UNRESOLVABLE_HOST}:${new URL(setup.target.url!).port}`), 'every proxied call named the endpoint host');
    t.ok(await setup.aws.model(name), 'the model exists');
    const before = proxy.calls.length;
    t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');
    t.same(operations(before).sort(), ['DescribeModel', 'ListTags'], 'the refresh read the model through the proxy');
  });

  await t.test('http_proxy without https_proxy: the warning of hashicorp/aws', async (t) => {
    ws.config(providerWithUnresolvableEndpoints(`  http_proxy = "${proxy.url}"`) + modelConfig(name));
    const { code, output } = await ws.planExitCode();
    t.equal(code, 0);
    t.match(output, 'Warning: Missing HTTPS Proxy');
    t.match(unwrapped(output), `An HTTP proxy was set but no HTTPS proxy was. Using HTTP proxy "${proxy.url}" for HTTPS requests.`);
  });

  await t.test('HTTP_PROXY in the environment is used when http_proxy is not set', async (t) => {
    ws.config(providerWithUnresolvableEndpoints('') + modelConfig(name));
    const before = proxy.calls.length;
    const result = await ws.run(['plan', '-detailed-exitcode', '-no-color'], { HTTP_PROXY: proxy.url });
    t.equal(result.code, 0, result.stdout + result.stderr);
    t.notMatch(result.stdout, /Missing HTTPS Proxy/, 'no warning for the environment variable');
    t.same(operations(before).sort(), ['DescribeModel', 'ListTags']);
  });

  await t.test('no_proxy: matching hosts go direct (here: to a host that does not resolve)', async (t) => {
    ws.config(providerWithUnresolvableEndpoints(`  http_proxy  = "${proxy.url}"\n  https_proxy = ""\n  no_proxy    = "localhost,.proxy-test.invalid"\n  max_retries = 0`) + modelConfig(name));
    const before = proxy.calls.length;
    const result = await ws.run(['plan', '-no-color']);
    t.equal(result.code, 1, 'plan fails');
    t.match(result.stderr, /Error: reading SageMaker AI Model/);
    t.match(result.stderr, new RegExp(`ENOTFOUND ${UNRESOLVABLE_HOST.replace(/\./g, '\\.')}|getaddrinfo`), 'the error names the failed lookup');
    t.equal(proxy.calls.length, before, 'nothing reached the proxy');
  });

  await t.test('a proxy URL of another scheme is refused at configuration, with its attribute', async (t) => {
    ws.config(providerWithUnresolvableEndpoints('  http_proxy = "socks5://user:secret@127.0.0.1:1080"') + modelConfig(name));
    const result = await ws.run(['plan', '-no-color']);
    t.equal(result.code, 1);
    t.match(unwrapped(result.stderr), 'invalid proxy address "socks5://user:xxxxx@127.0.0.1:1080": unsupported proxy scheme "socks5"');
    t.match(result.stderr, /\d+:\s+http_proxy = "socks5:/, 'Terraform points at the http_proxy line');
    const shown = result.stderr.split('\n').filter((line) => line.includes('secret'));
    t.ok(shown.every((line) => /\d+:\s+http_proxy = /.test(line)), 'the password appears only in the quoted configuration line, not in the message');
  });

  await t.test('loopback endpoints never use a proxy (as in hashicorp/aws): create, read and destroy go direct', async (t) => {
    // The recording proxy is configured for both schemes; the endpoints are the target's own loopback URL.
    // A proxied call would succeed too (the proxy forwards it), so only the proxy's record tells them apart.
    const direct = new Workspace();
    t.teardown(() => direct.cleanup());
    const directName = uniqueName('tfacc-proxy-direct');
    direct.config(providerBlock(setup.target, `  http_proxy  = "${proxy.url}"\n  https_proxy = "${proxy.url}"`) + modelConfig(directName));
    const count = async (operation: string) => (setup.target.admin ? ((await setup.target.admin.calls()).counts[`SageMaker.${operation}`] ?? 0) : undefined);
    const before = { proxied: proxy.calls.length, creates: await count('CreateModel'), deletes: await count('DeleteModel') };

    await direct.apply();
    t.ok(await setup.aws.model(directName), 'the endpoint created the model');
    await direct.destroy(); // refreshes first, then deletes
    t.equal(await setup.aws.model(directName), null, 'the endpoint deleted the model');
    if (setup.target.admin) {
      t.equal((await count('CreateModel'))! - before.creates!, 1, 'the endpoint\'s call log has the CreateModel');
      t.equal((await count('DeleteModel'))! - before.deletes!, 1, 'the endpoint\'s call log has the DeleteModel');
    }
    t.same(proxy.calls.slice(before.proxied), [], 'no call reached the proxy');
  });

  await t.test('destroy through the proxy', async (t) => {
    ws.config(providerWithUnresolvableEndpoints(`  http_proxy  = "${proxy.url}"\n  https_proxy = ""`) + modelConfig(name));
    const before = proxy.calls.length;
    await ws.destroy();
    t.ok(operations(before).includes('DeleteModel'), 'DeleteModel went through the proxy');
    t.equal(await setup.aws.model(name), null, 'the model is gone');
  });
});
