// How the protocol layer treats handlers: errors become diagnostics, StopProvider aborts in-flight
// calls, init is awaited, missing optional RPCs get well-defined answers.
import t from 'tap';
import { join } from 'node:path';
import { connect, ensureBuilt, launchFixture, parseHandshake, pluginEnv } from '../support/provider-process';
import { waitFor } from '../support/processes';

t.before(() => ensureBuilt()); // the fixture needs the generated descriptors

t.test('handler behaviour through the real server', async (t) => {
  const p = launchFixture(t, join(__dirname, 'fixtures', 'custom-provider.ts'), pluginEnv({ PROTOCOL_FIXTURE: '1' }));
  const hs = parseHandshake(await p.handshake);
  const client = connect(hs);
  t.teardown(() => client.close());
  const rpc = client.provider;

  t.test('RPCs wait for init()', async (t) => {
    const schema = await rpc('GetProviderSchema')({});
    t.same(schema.diagnostics, []);
    t.equal(schema.provider.block.attributes[0].name, 'region');
  });

  t.test('a throwing handler answers with an Internal provider error diagnostic', async (t) => {
    const res = await rpc('ValidateProviderConfig')({});
    t.match(res.diagnostics, [{ severity: 'ERROR', summary: 'Internal provider error', detail: 'boom from validate' }]);
    t.equal(res.diagnostics.length, 1);
    t.match(p.stderr(), /"@level":"error","@message":"Internal provider error"[^\n]*boom from validate/, 'stack logged');
  });

  t.test('a response protobuf cannot encode becomes a diagnostic', async (t) => {
    const res = await rpc('ConfigureProvider')({});
    t.match(res.diagnostics, [{ severity: 'ERROR', summary: 'Internal provider error', detail: /invalid ConfigureProvider response/ }]);
  });

  t.test('missing optional RPCs', async (t) => {
    const read = await rpc('ReadDataSource')({ type_name: 'aws_region' });
    t.match(read.diagnostics, [{ severity: 'ERROR', summary: 'Unsupported operation' }]);
    t.same((await rpc('GetFunctions')({})).functions, {});
    await t.rejects(rpc('GetMetadata')({}), { code: 12 }, 'GetMetadata is UNIMPLEMENTED, as the protocol allows');
  });

  t.test('StopProvider aborts in-flight calls, then calls stop(); later calls get a fresh signal', async (t) => {
    const pending = rpc('PlanResourceChange')({ type_name: 'aws_sagemaker_model' });
    await new Promise((r) => setTimeout(r, 100));
    t.same(await rpc('StopProvider')({}), { Error: '' });
    const plan = await pending;
    t.match(plan.diagnostics, [{ severity: 'WARNING', summary: /^cancelled: .*stop/ }]);
    await waitFor('the stop hook', () => p.stderr().includes('stop hook called'), 5_000, 20);
    const after = await rpc('ValidateResourceConfig')({ type_name: 'aws_sagemaker_model' });
    t.match(after.diagnostics, [{ summary: 'ValidateResourceConfig aws_sagemaker_model aborted=false' }]);
  });

  t.test('messages far above the 4 MiB gRPC default pass both ways', async (t) => {
    const big = Buffer.alloc(20 * 1024 * 1024, 7);
    const res = await rpc('ReadResource')({ type_name: 'aws_sagemaker_model', private: big });
    t.equal(res.private.length, big.length);
    t.ok(res.private.equals(big));
  });

  t.test('loadHandlers is called once', async (t) => {
    t.equal(p.stderr().match(/loadHandlers call/g)?.length, 1);
  });

  t.test('Shutdown ends the process', async (t) => {
    await client.shutdown();
    const { code } = await p.exited;
    t.equal(code, 0);
  });

  t.test('stdout carries the handshake line only; stray writes go to stderr', async (t) => {
    await p.exited;
    t.equal(p.stdout(), `${await p.handshake}\n`);
    t.match(p.stderr(), /stray console\.log from a handler/);
    t.match(p.stderr(), /stray stdout write/);
  });
});
