#!/usr/bin/env bash
# Synthesises the CDKTF program in this directory and applies, then destroys, the synthesised stack through this
# repository's provider (bin/, via dev_overrides) against an AWS-compatible endpoint.
#
#   LOCAL_AWS_ENDPOINT=http://127.0.0.1:4566 examples/cdktf/run.sh
#
# LOCAL_AWS_ENDPOINT is the endpoint's URL (default http://127.0.0.1:4566, where `make endpoint` listens); the
# program reads it while synthesising. Needs the provider built (`make build`) and Terraform on PATH. Installs this
# example's own dependencies with `npm ci` when they are missing. Synthesises into a temporary directory (or into
# CDKTF_OUTDIR when set), so every run starts from an empty state. Exits non-zero when a step fails; a failed apply
# is followed by a destroy, so the endpoint is left as it was.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export LOCAL_AWS_ENDPOINT=${LOCAL_AWS_ENDPOINT:-http://127.0.0.1:4566}
stack=sagemaker-model

step() { printf '\n==> %s\n' "$*"; }

if [ ! -x "$repo/bin/terraform-provider-aws" ]; then
  echo "run.sh: $repo/bin/terraform-provider-aws is missing; run \`make build\` in the repository first" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Dependencies: installed when node_modules is missing or older than the lock file.
if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  step "npm ci (examples/cdktf)"
  (cd "$here" && npm ci --no-audit --no-fund)
fi

step "Synthesising (tsc, then node dist/main.js) for endpoint $LOCAL_AWS_ENDPOINT"
CDKTF_OUTDIR=$(realpath -m "${CDKTF_OUTDIR:-$work/cdktf.out}")
export CDKTF_OUTDIR
(cd "$here" && node_modules/.bin/tsc -p . && node dist/main.js)
stack_dir="$CDKTF_OUTDIR/stacks/$stack"
[ -f "$stack_dir/cdk.tf.json" ] || { echo "run.sh: synthesis wrote no $stack_dir/cdk.tf.json" >&2; exit 1; }
echo "synthesised: $stack_dir/cdk.tf.json"

# Our provider for hashicorp/aws; no `terraform init` (not needed with dev_overrides, and it would query the registry).
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cat >"$TF_CLI_CONFIG_FILE" <<HCL
provider_installation {
  dev_overrides {
    "hashicorp/aws" = "$repo/bin"
  }
  direct {}
}
HCL

cd "$stack_dir"
step "terraform apply"
if ! terraform apply -auto-approve -input=false -no-color; then
  step "apply failed: terraform destroy, to leave nothing behind"
  terraform destroy -auto-approve -input=false -no-color || true
  exit 1
fi
step "terraform destroy"
terraform destroy -auto-approve -input=false -no-color
step "Done: applied and destroyed the synthesised stack."
