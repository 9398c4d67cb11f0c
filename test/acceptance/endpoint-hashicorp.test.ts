// The real hashicorp/aws 5.100.0 against the embedded endpoint, over the realistic configuration (S3 bucket and
// model artifact, customer and AWS managed policies, inline role policy, caller identity, partition, region,
// role and model): apply, an empty second plan, import of the bucket and of a policy attachment, a destroy that
// has to empty the bucket (force_destroy), and nothing left behind. Every call the provider made must have been
// answered by an implemented operation: no 501 and no 5xx in the endpoint's call log.
import t from 'tap';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { AwsApi } from '../support/aws';
import { hasHashicorpMirror, providerBlock, startTarget, type Target, uniqueName, Workspace } from '../support/terraform';
import { ARTIFACT_KEY, AWS_MANAGED_POLICY, CONFIG_KEY, realisticConfig } from './realistic-config';

t.test('hashicorp/aws 5.100.0: create, refresh, import and destroy the realistic configuration', { skip: !hasHashicorpMirror() && 'no hashicorp/aws mirror' }, async (t) => {
  const target: Target = await startTarget();
  const aws = new AwsApi(target);
  const s3 = new S3Client({ ...target.sdkConfig, forcePathStyle: true });
  t.teardown(async () => {
    s3.destroy();
    aws.destroy();
    await target.stop();
  });
  const name = uniqueName('tfacc-real');
  const names = { bucket: name, role: name, model: name };
  const managedArn = `arn:aws:iam::aws:policy/${AWS_MANAGED_POLICY}`;

  const ws = new Workspace('hashicorp');
  t.teardown(() => ws.cleanup());
  // A gzip artifact: binary bytes, as real model archives are.
  const artifact = gzipSync(Buffer.from('{"weights": [0.1, 0.2, 0.3]}\n'.repeat(200)));
  writeFileSync(join(ws.dir, 'model.tar.gz'), artifact);
  ws.config(realisticConfig(target, names, 'model.tar.gz'));

  await ws.apply();
  const outputs = JSON.parse((await ws.ok(['output', '-json'])).stdout) as Record<string, { value: string }>;
  t.equal(outputs.artifact_etag.value, createHash('md5').update(artifact).digest('hex'), 'the object ETag is the MD5 of the file');
  if (target.admin) t.equal(outputs.account_id.value, '000000000000', 'data.aws_caller_identity');
  const stored = await s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: ARTIFACT_KEY }));
  t.same(Buffer.from(await stored.Body!.transformToByteArray()), artifact, 'the artifact was uploaded byte for byte');
  const settings = await s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: CONFIG_KEY }));
  t.equal(settings.ContentType, 'application/json');
  t.same(JSON.parse(await settings.Body!.transformToString()), { instance_type: 'ml.m5.large', max_payload_mb: 6 }, 'an object from content');
  const attached = (await aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: names.role }))).AttachedPolicies!.map((p) => p.PolicyArn).sort();
  t.same(attached, [managedArn, outputs.policy_arn.value].sort(), 'both managed policies are attached');
  const inline = await aws.iam.send(new GetRolePolicyCommand({ RoleName: names.role, PolicyName: `${name}-logs` }));
  t.match(decodeURIComponent(inline.PolicyDocument!), `arn:aws:logs:${target.region}:`, 'the inline policy used data.aws_partition, aws_region and aws_caller_identity');
  t.equal((await aws.model(names.model))?.PrimaryContainer?.ModelDataUrl, `s3://${names.bucket}/${ARTIFACT_KEY}`);

  t.equal((await ws.planExitCode()).code, 0, 'the second plan is empty');

  // Import into a second workspace: the plan must read both resources exactly as configured.
  const importer = new Workspace('hashicorp');
  t.teardown(() => importer.cleanup());
  importer.config(`${providerBlock(target)}
resource "aws_s3_bucket" "artifacts" {
  bucket = "${names.bucket}"
  tags = {
    Purpose = "model-artifacts"
  }
}
resource "aws_iam_role_policy_attachment" "sagemaker" {
  role       = "${names.role}"
  policy_arn = "${managedArn}"
}
import {
  to = aws_s3_bucket.artifacts
  id = "${names.bucket}"
}
import {
  to = aws_iam_role_policy_attachment.sagemaker
  id = "${names.role}/${managedArn}"
}
`);
  const imported = await importer.planExitCode();
  t.match(imported.output, 'Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.', 'both import without a difference');

  // An object terraform does not manage: the bucket's force_destroy must empty it.
  await s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: 'logs/unmanaged.txt', Body: 'written by something else' }));
  await ws.destroy();

  if (!target.admin) return;
  const calls = await target.admin.calls();
  const failures = calls.recent.filter((call) => call.status >= 500 || call.status === 0);
  t.same(failures, [], 'every call was answered by an implemented operation');
  for (const operation of ['S3.ListObjectVersions', 'S3.DeleteObjects', 'IAM.DetachRolePolicy', 'IAM.DeletePolicy', 'STS.GetCallerIdentity']) {
    t.ok(calls.counts[operation], `${operation} was called`);
  }
  const state = await target.admin.state();
  t.same(
    { models: state.models, roles: state.roles, policies: state.policies, buckets: state.buckets },
    { models: [], roles: [], policies: [], buckets: [] },
    'nothing is left on the endpoint',
  );
});
