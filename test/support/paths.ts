// Where the tests find the repository and what `make build` puts in bin/.
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');
/** The directory dev_overrides points Terraform at. */
export const providerBinDir = join(repoRoot, 'bin');
export const providerBinary = join(providerBinDir, 'terraform-provider-aws');
export const localAwsBin = join(providerBinDir, 'local-aws');
