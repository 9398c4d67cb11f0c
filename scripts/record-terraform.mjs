// Shared helper of the record-*.mjs scripts: runs the real hashicorp/aws provider through Terraform
// in a scratch directory, without any AWS call (data sources that compute locally, validation, plan).
//
// The provider comes from a Terraform filesystem mirror (the directory that holds
// registry.terraform.io/hashicorp/aws/<version>/...): TF_PLUGIN_MIRROR, else the one the acceptance
// harness finds. Nothing here is used by the tests.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

export const PROVIDER_VERSION = '5.100.0';

export function providerBlock(extra = '') {
  return `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "x"
  secret_key                  = "x"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
${extra}`;
}

export function requiredProviders() {
  return `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "${PROVIDER_VERSION}" }
  }
}
`;
}

let mirrorFound;

/** TF_PLUGIN_MIRROR, else the mirror test/support/terraform.ts's hashicorpMirror() finds (bundled to run it here). */
export function pluginMirror() {
  mirrorFound ??= process.env.TF_PLUGIN_MIRROR || harnessMirror();
  return mirrorFound;
}

function harnessMirror() {
  const dir = mkdtempSync(join(tmpdir(), 'record-harness-'));
  try {
    const outfile = join(dir, 'harness.cjs');
    const harness = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'support', 'terraform.ts');
    buildSync({ entryPoints: [harness], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    return createRequire(import.meta.url)(outfile).hashicorpMirror();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes a scratch Terraform directory with the given main.tf, initialised against the mirror. */
export function scratchDir(mainTf) {
  const mirror = pluginMirror();
  const dir = mkdtempSync(join(tmpdir(), 'record-aws-'));
  writeFileSync(join(dir, 'cli.tfrc'), `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
  writeFileSync(join(dir, 'main.tf'), mainTf);
  const env = { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  execFileSync('terraform', ['init', '-no-color', '-input=false'], { cwd: dir, env, stdio: 'pipe' });
  return {
    dir,
    /** Runs terraform with the arguments; returns {status, stdout, stderr}. */
    run(args) {
      const r = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    /** Error diagnostics of a `-json` run (plan, apply or validate). */
    diagnostics(args) {
      const r = this.run(args);
      const out = [];
      const collect = (d) => { if (d && d.severity === 'error') out.push(d); };
      // validate -json prints one JSON document; plan/apply -json print one message per line.
      try {
        const whole = JSON.parse(r.stdout);
        (whole.diagnostics ?? []).forEach(collect);
        return out;
      } catch {
        // line-delimited
      }
      for (const line of r.stdout.split('\n')) {
        if (!line.trim()) continue;
        let msg;
        try { msg = JSON.parse(line); } catch { continue; }
        if (msg.diagnostics) msg.diagnostics.forEach(collect); // terraform validate -json
        else collect(msg.diagnostic);
      }
      return out;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Terraform string literal for any text: JSON escapes, plus HCL's own template sequences. */
export function hclString(s) {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return (out + '"').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

export function hclList(list) {
  return '[' + list.map(hclString).join(', ') + ']';
}
