#!/usr/bin/env bash
# terraform-provider-aws: the executable Terraform starts, 3-5 times per command. scripts/build.mjs writes it to
# bin/ from src/warm/launcher.sh, with the build's identity in place of @BUILD_ID@.
#
# It does not boot Node when it can avoid it. A warm server (src/warm/server.ts) for this user, build, working
# directory and environment hosts one provider instance per launch; the launcher hands the server its launch
# (environment, PLUGIN_CLIENT_CERT among it), prints the handshake line the server answers, and then becomes a
# `cat` copying that instance's log lines to its stderr until the instance ends. Killing it ends the instance.
# With no server it starts one, detached, and runs this launch in a fresh Node process (bin/lib/main.js) — as does
# every launch with TF_AWS_WARM=0, with arguments (--debug), without the plugin cookie, or when anything is amiss.
BUILD_ID=@BUILD_ID@
here=${0%/*}

# Named as the launcher (ps, pkill, Terraform's logs see terraform-provider-aws), as is the copying cat below.
cold() { exec -a "$0" node "$here/lib/main.js" "$@"; }

[[ $# -eq 0 && ${TF_AWS_WARM:-1} != 0 && $TF_PLUGIN_MAGIC_COOKIE == d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2 ]] || cold "$@"

# The runtime directory is private to this user: 0700, ours (the server checks its mode too).
dir=${TF_AWS_WARM_DIR:-${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/terraform-provider-aws-ts-$UID}
[[ -d $dir ]] || mkdir -m 700 -p -- "$dir" 2>/dev/null
[[ -d $dir && -O $dir && ! -L $dir ]] || cold

# What a server must share with this launch: the build, the directory, every exported variable but go-plugin's
# per-launch ones (PLUGIN_*) and those the shell itself sets.
env_pairs=()
while IFS= read -r name; do
  case $name in PLUGIN_* | _ | SHLVL | OLDPWD | PWD | TF_AWS_WARM_SERVER) ;; *) env_pairs+=("$name=${!name}") ;; esac
done < <(compgen -e)
key=$(printf '%s\0' "$BUILD_ID" "$PWD" "${env_pairs[@]}" | sha256sum) || cold
key=${key%% *}

start_server() {
  local holder
  # A server already starting (its lock held by a live process) answers the next launches.
  if [[ -f $dir/$key.lock ]] && read -r holder <"$dir/$key.lock" && kill -0 "$holder" 2>/dev/null; then return; fi
  TF_AWS_WARM_SERVER=1 setsid node "$here/lib/main.js" --warm-server "$dir" "$key" "$BUILD_ID" "$PWD" \
    </dev/null >>"$dir/$key.log" 2>&1 &
}

port='' pid='' server_proof='' client_secret=''
[[ -f $dir/$key.server ]] && read -r port pid server_proof client_secret <"$dir/$key.server"
if [[ -z $client_secret ]] || ! kill -0 "$pid" 2>/dev/null || ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  start_server
  cold
fi

# The server proves itself first (it knows what only its file holds); only then does the environment go out.
IFS= read -r -t 5 proof <&3 && [[ $proof == "$server_proof" ]] || { exec 3<&-; cold; }
plugin_pairs=()
while IFS= read -r name; do plugin_pairs+=("$name=${!name}"); done < <(compgen -e PLUGIN_)
printf '%s\0' TFAWS1 "$client_secret" "$BUILD_ID" "$PWD" "$PPID" "$$" "${plugin_pairs[@]}" "" "${env_pairs[@]}" "" >&3
IFS= read -r -t 30 line <&3
[[ $line == 1\|* ]] || { exec 3<&-; cold; }
printf '%s\n' "$line"
# Terraform answers Ctrl-C with StopProvider and Shutdown; like the provider process itself, survive the signal.
trap '' INT
exec -a "$0" cat <&3 >&2
