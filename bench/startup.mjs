// Provider start-up: time from exec to the go-plugin handshake line, and RSS at that moment, next to
// a bare `node -e 0` measured in the same run. Terraform starts the provider 3-5 times per command,
// so this is paid several times per plan. Also breaks the provider's time down by phase.
// Also the same for a launch served by a warm server (src/warm/), which is what Terraform's launches get by default.
// Usage: node bench/startup.mjs [--runs 20] [--binary bin/terraform-provider-aws]
// Reports numbers only; no pass/fail. The measurement itself is in bench/lib/startup.mjs (shared with bench/run.mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measureStartup, median, phaseRows, root } from './lib/startup.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option('runs', '20'));
const binary = option('binary', join(root, 'bin/terraform-provider-aws'));
if (!existsSync(binary)) {
  console.error(`${binary} not found: run \`make build\` first`);
  process.exit(1);
}

const ms = (x) => `${x.toFixed(1)} ms`;
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;

const r = await measureStartup({ binary, runs });
const b = median(r.bare);
const p = median(r.handshake);
console.log(`runs: ${runs}   node ${process.version}   binary: ${binary}`);
console.log(`bare node -e 0 (exec -> exit):           median ${ms(b)}   min ${ms(Math.min(...r.bare))}`);
console.log(`provider exec -> handshake line:         median ${ms(p)}   min ${ms(Math.min(...r.handshake))}   (${(p / b).toFixed(2)}x bare node)`);
console.log(`RSS at handshake:                        median ${mib(median(r.handshakeRss))}   (bare node ${mib(median(r.bareRss))})`);
console.log(`provider exec -> GetProviderSchema answered: median ${ms(median(r.firstRpc))}   (TLS client in this process)`);
console.log(`RSS after the first RPC:                 median ${mib(median(r.firstRpcRss))}`);
console.log(`provider CPU time (user+sys): at handshake median ${ms(median(r.handshakeCpu))}, at first RPC median ${ms(median(r.firstRpcCpu))}`);
console.log(`warm launch exec -> handshake line:       median ${ms(median(r.warmHandshake))}   min ${ms(Math.min(...r.warmHandshake))}`);
console.log(`warm launch exec -> GetProviderSchema answered: median ${ms(median(r.warmFirstRpc))}   min ${ms(Math.min(...r.warmFirstRpc))}`);
console.log('inside the provider, ms since process start (median), and the step each mark ends:');
for (const [name, label, at, delta] of phaseRows(r.phases)) {
  console.log(`  ${name.padEnd(16)} ${ms(at).padStart(9)}   +${ms(delta).padStart(9)}  ${label}`);
}
