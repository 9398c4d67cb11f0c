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
# Process creation is the cost here (a few ms each): nothing below forks on the way to a warm server.
BUILD_ID=@BUILD_ID@
here=${0%/*}

# Named as the launcher (ps, pkill, Terraform's logs see terraform-provider-aws), as is the copying cat below.
cold() { exec -a "$0" node "$here/lib/main.js" "$@"; }

[[ $# -eq 0 && ${TF_AWS_WARM:-1} != 0 && $TF_PLUGIN_MAGIC_COOKIE == d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2 ]] || cold "$@"
# ${name@a} needs bash 4.4.
((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 404)) || cold

# The runtime directory is private to this user: 0700, ours (the server checks its mode too).
dir=${TF_AWS_WARM_DIR:-${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/terraform-provider-aws-ts-$UID}
[[ -d $dir ]] || mkdir -m 700 -p -- "$dir" 2>/dev/null
[[ -d $dir && -O $dir && ! -L $dir ]] || cold

# What a server must share with this launch, besides the build and the directory: every exported variable but
# go-plugin's per-launch ones (PLUGIN_*, passed on to the instance) and those the shell itself sets. Names come from
# ${!X*} expansions; exported ones carry the x attribute.
env_pairs=() plugin_pairs=()
for name in ${!A*} ${!B*} ${!C*} ${!D*} ${!E*} ${!F*} ${!G*} ${!H*} ${!I*} ${!J*} ${!K*} ${!L*} ${!M*} ${!N*} ${!O*} ${!P*} ${!Q*} ${!R*} ${!S*} ${!T*} ${!U*} ${!V*} ${!W*} ${!X*} ${!Y*} ${!Z*} ${!a*} ${!b*} ${!c*} ${!d*} ${!e*} ${!f*} ${!g*} ${!h*} ${!i*} ${!j*} ${!k*} ${!l*} ${!m*} ${!n*} ${!o*} ${!p*} ${!q*} ${!r*} ${!s*} ${!t*} ${!u*} ${!v*} ${!w*} ${!x*} ${!y*} ${!z*} ${!_*}; do
  [[ ${!name@a} == *x* ]] || continue
  case $name in
    PLUGIN_*) plugin_pairs+=("$name=${!name}") ;;
    _ | SHLVL | OLDPWD | PWD | TF_AWS_WARM_SERVER) ;;
    *) env_pairs+=("$name=${!name}") ;;
  esac
done
printf -v environment '%q\n' "${env_pairs[@]}"

# Whether a process runs: not a zombie (a killed server whose new parent does not reap it).
running() {
  local state
  if [[ -r /proc/$1/stat ]]; then
    read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null && [[ $state != Z ]]
  else
    kill -0 "$1" 2>/dev/null
  fi
}

# Hand this launch to the server a file describes; returns only if it does not take it.
launch_on() {
  local port pid proof secret build size cwd line
  { read -r port pid proof secret build size && IFS= read -r cwd; } <"$1" 2>/dev/null || return
  # The file says which build, directory and environment (by its length) the server has; it checks the rest.
  [[ $build == "$BUILD_ID" && $cwd == "$PWD" && $size == "${#environment}" ]] && running "$pid" || return
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return
  # The server proves itself first (it knows what only its file holds); only then does the launch go out.
  if IFS= read -r -t 5 line <&3 && [[ $line == "$proof" ]]; then
    printf '%s\0' TFAWS2 "$secret" "$BUILD_ID" "$PWD" "$PPID" "$$" "${plugin_pairs[@]}" "" "$environment" >&3
    if IFS= read -r -t 30 line <&3 && [[ $line == 1\|* ]]; then
      printf '%s\n' "$line"
      # Terraform answers Ctrl-C with StopProvider and Shutdown; like the provider process, survive the signal.
      trap '' INT
      exec -a "$0" cat <&3 >&2
    fi
  fi
  exec 3<&-
}

for server in "$dir"/*.server; do
  [[ -f $server ]] && launch_on "$server"
done

# No server took the launch. Unless one for this build, directory and environment is starting, start one (its
# environment on its stdin), then serve this launch the ordinary way.
starting=0
for file in "$dir"/*.starting; do
  [[ -f $file ]] || continue
  { read -r pid size build && IFS= read -r cwd; } <"$file" 2>/dev/null || continue
  [[ $build == "$BUILD_ID" && $cwd == "$PWD" && $size == "${#environment}" ]] && running "$pid" && starting=1
done
if ((starting == 0)); then
  name=${EPOCHREALTIME/./}-$$
  TF_AWS_WARM_SERVER=1 setsid node "$here/lib/main.js" --warm-server "$dir" "$name" "$BUILD_ID" "$PWD" "${#environment}" \
    <<<"$environment" >>"$dir/$name.log" 2>&1 &
  printf '%s %s %s\n%s\n' "$!" "${#environment}" "$BUILD_ID" "$PWD" >"$dir/$name.starting"
fi
cold
