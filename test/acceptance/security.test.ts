// Security, end to end with real terraform:
// - TF_LOG=trace output of a full apply (and destroy) with static credentials and a session token holds none of
//   the secret values and no Authorization header.
// - access_key, secret_key and token are sensitive in `terraform providers schema -json`.
// Covered elsewhere, not repeated here: a gRPC client without Terraform's certificate (or with another one, or in
// plaintext) is refused, the unix socket is 0600 in a 0700 directory and both are removed on exit, and the TCP
// fallback binds 127.0.0.1 only — test/protocol/handshake.test.ts ("AutoMTLS over a private unix socket", "falls
// back to TCP when no unix socket can be made", "SIGINT is ignored; SIGTERM exits and cleans up").
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACC_TARGET, type Target, uniqueName, Workspace } from '../support/terraform';
import { roleAndModelHcl } from '../support/fixtures';
import { startEmbeddedTarget } from './reliability';

const ACCESS_KEY = 'AKIAQSECURITYTEST7Q';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYsecretKEY9';
const TOKEN = 'IQoJb3JpZ2luX2VjEPv//////////wEaCXVzLXdlc3QtMiJHMEUCIQDsessiontokenSECRETvalue==';

t.test('TF_LOG=trace of a full apply and destroy shows no secret and no Authorization header', { skip: ACC_TARGET !== 'embedded' && 'needs the embedded endpoint (any key works there)' }, async (t) => {
  const target: Target = await startEmbeddedTarget();
  t.teardown(() => target.stop());
  const name = uniqueName('tfacc-sec');
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  // Credentials validation and account lookup stay on, so STS is called with the credentials too.
  ws.config(`provider "aws" {
  region                  = "${target.region}"
  access_key              = "${ACCESS_KEY}"
  secret_key              = "${SECRET_KEY}"
  token                   = "${TOKEN}"
  skip_metadata_api_check = true
  endpoints {
    sagemaker = "${target.url}"
    iam       = "${target.url}"
    sts       = "${target.url}"
  }
}
${roleAndModelHcl(name, '  tags = { Team = "security" }\n')}`);
  const logFile = join(ws.dir, 'trace.log');
  const env = { TF_LOG: 'trace', TF_LOG_PATH: logFile };
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color'], env);
  await ws.ok(['plan', '-input=false', '-no-color'], env);
  await ws.ok(['destroy', '-auto-approve', '-input=false', '-no-color'], env);
  const log = readFileSync(logFile, 'utf8');

  const counts = (await target.admin!.calls()).counts;
  t.ok(counts['STS.GetCallerIdentity'] && counts['SageMaker.CreateModel'] && counts['IAM.CreateRole'], 'the credentials were used for STS, IAM and SageMaker');
  t.ok(log.includes('provider.terraform-provider-aws'), 'the provider\'s own log lines are in the trace');
  t.ok(log.split('\n').length > 1000, `the trace is substantial (${log.split('\n').length} lines)`);
  for (const [what, secret] of [
    ['access key', ACCESS_KEY],
    ['secret key', SECRET_KEY],
    ['secret key (URL-encoded)', encodeURIComponent(SECRET_KEY)],
    ['session token', TOKEN],
    ['session token (URL-encoded)', encodeURIComponent(TOKEN)],
  ] as const) {
    t.notOk(log.includes(secret), `the ${what} is not in the log`);
  }
  t.notMatch(log, /authorization/i, 'no Authorization header');
  t.notMatch(log, /AWS4-HMAC-SHA256/, 'no SigV4 signature or credential scope');
  t.notMatch(log, /x-amz-security-token/i, 'no session token header');
});

t.test('access_key, secret_key and token are sensitive in terraform providers schema -json', async (t) => {
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config('provider "aws" {}\n');
  const schemas = JSON.parse((await ws.ok(['providers', 'schema', '-json'])).stdout) as {
    provider_schemas: Record<string, { provider: { block: { attributes: Record<string, { sensitive?: boolean }> } } }>;
  };
  const attributes = schemas.provider_schemas['registry.terraform.io/hashicorp/aws'].provider.block.attributes;
  for (const name of ['access_key', 'secret_key', 'token']) t.equal(attributes[name]?.sensitive, true, `${name} is sensitive`);
});
