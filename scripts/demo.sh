#!/usr/bin/env bash
# make demo: the documented aws_sagemaker_model example, applied through this provider against the embedded
# AWS endpoint, then imported into a fresh state (plan must be empty), then destroyed. Leaves nothing running.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
endpoint_pid=""
export TF_AWS_WARM_DIR="$work/warm"

cleanup() {
  [ -n "$endpoint_pid" ] && kill "$endpoint_pid" 2>/dev/null && wait "$endpoint_pid" 2>/dev/null
  # The demo's launches are served by warm servers of its own (README: "Launches are served warm"): stop them.
  node "$repo/bin/lib/main.js" --warm-stop "$TF_AWS_WARM_DIR" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Starting the embedded AWS endpoint"
mkfifo "$work/endpoint.out"
"$repo/bin/local-aws" --port 0 >"$work/endpoint.out" 2>"$work/endpoint.err" &
endpoint_pid=$!
read -r banner <"$work/endpoint.out" || true
url=""
while [ -z "$url" ]; do
  case "$banner" in
    "listening on "*) url=${banner#listening on } ;;
    *) read -r banner <"$work/endpoint.out" || { cat "$work/endpoint.err"; exit 1; } ;;
  esac
done
cat "$work/endpoint.out" >/dev/null &
echo "endpoint: $url"

export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cat >"$TF_CLI_CONFIG_FILE" <<HCL
provider_installation {
  dev_overrides {
    "hashicorp/aws" = "$repo/bin"
  }
  direct {}
}
HCL
# Runs terraform with the endpoint variable; shows its output without the dev_overrides warning block.
tf() {
  local command=$1 status=0
  shift
  terraform "$command" -no-color -input=false -var "endpoint=$url" "$@" >"$work/tf.out" 2>&1 || status=$?
  awk '/Warning: Provider development overrides are in effect/{skip=1} skip{if(/releases\.$/)skip=0; next} {print}' "$work/tf.out" | cat -s
  return "$status"
}

mkdir "$work/apply" "$work/import"
cp "$repo/examples/basic/main.tf" "$work/apply/"
cp "$repo/examples/basic/main.tf" "$work/import/"

step "terraform apply (examples/basic)"
(cd "$work/apply" && tf apply -auto-approve)

step "terraform output"
(cd "$work/apply" && terraform output -no-color)
role_name=$(cd "$work/apply" && terraform output -raw role_name)

step "Importing the role and the model into a fresh state"
(cd "$work/import" && tf import aws_iam_role.example "$role_name" && tf import aws_sagemaker_model.example my-model)

step "terraform plan on the imported state (must report no changes)"
set +e
(cd "$work/import" && tf plan -detailed-exitcode)
plan_status=$?
set -e
if [ "$plan_status" -ne 0 ]; then
  echo "FAILED: the plan after import is not empty (exit $plan_status)" >&2
  exit 1
fi
echo "No changes: the imported state matches the configuration."

step "terraform destroy"
(cd "$work/import" && tf destroy -auto-approve)

remaining=$(curl -s "$url/_endpoint/state" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);console.log((j.models||[]).length+(j.roles||[]).length)})')
if [ "$remaining" != "0" ]; then
  echo "FAILED: $remaining objects remain on the endpoint after destroy" >&2
  exit 1
fi
step "Done: created, imported with an empty plan, destroyed; nothing left behind."
