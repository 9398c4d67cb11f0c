// What the AWS layer adds to the engine, all registered here: the validator kinds, StateFuncs and DiffSuppressFuncs
// that provider-schema/ names. awsProvider() calls registerAwsExtensions(); a name nobody registered fails where it
// is used, and test/engine/schema.test.ts checks that every name the schemas use is registered.
import { registerDiffSuppress, registerStateFunc } from '../engine/sdkv2';
import { registerValidator } from '../engine/validators';
import { DIFF_SUPPRESS_FUNCS, STATE_FUNCS } from './sdkv2-functions';
import { AWS_VALIDATORS } from './validators';

let registered = false;

/** Registers the AWS validators, StateFuncs and DiffSuppressFuncs; once per process (a warm server builds many providers). */
export function registerAwsExtensions(): void {
  if (registered) return;
  registered = true;
  for (const [kind, validator] of Object.entries(AWS_VALIDATORS)) registerValidator(kind, validator);
  for (const [name, fn] of Object.entries(STATE_FUNCS)) registerStateFunc(name, fn);
  for (const [name, fn] of Object.entries(DIFF_SUPPRESS_FUNCS)) registerDiffSuppress(name, fn);
}
