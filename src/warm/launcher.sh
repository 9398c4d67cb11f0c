#!/usr/bin/env bash
# terraform-provider-aws: the executable Terraform starts, 3-5 times per command. scripts/build.mjs writes it to
# bin/ from src/warm/launcher.sh, with the build's identity in place of @BUILD_ID@.
#
# It does not boot Node when it can avoid it. A warm server (src/warm/server.ts) for this user, build and environment
# hosts one provider instance per launch, from any working directory. The launcher writes its launch (a fresh nonce,
# its directory, Terraform's pid, PLUGIN_CLIENT_CERT, the environment...) into a new 0600 file of the server's private
# directory under a random name, sends the server only that name, prints the handshake line the server answers after
# the nonce, and then becomes a `cat` copying that instance's log lines to its stderr until the instance ends.
# Killing it ends the instance. With no server it starts one, detached, and runs this launch in a fresh Node process
# (bin/lib/main.js) — as does every launch with TF_AWS_WARM=0, with arguments (--debug), without the plugin cookie,
# or when anything is amiss. ARCHITECTURE.md ("Startup") has the threat model.
# Process creation is the cost here (a few ms each): nothing below forks on the way to a warm server.
tfaws_build=@BUILD_ID@
tfaws_here=${0%/*}
[[ $tfaws_here == /* ]] || tfaws_here=$PWD/$tfaws_here
tfaws_cwd=$PWD tfaws_oldpwd=${OLDPWD-} tfaws_user_umask=

# Named as the launcher (ps, pkill, Terraform's logs see terraform-provider-aws), as is the copying cat below. Runs
# in Terraform's directory, with the user's umask and signals, whatever the warm path had done.
cold() {
  [[ $PWD == "$tfaws_cwd" ]] || { cd -- "$tfaws_cwd" && OLDPWD=$tfaws_oldpwd; } 2>/dev/null
  [[ -z $tfaws_user_umask ]] || umask "$tfaws_user_umask"
  trap - PIPE
  exec -a "$0" node "$tfaws_here/lib/main.js" "$@"
}

[[ $# -eq 0 && ${TF_AWS_WARM:-1} != 0 && $TF_PLUGIN_MAGIC_COOKIE == d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2 ]] || cold "$@"
# $SRANDOM (random names and nonces from getrandom) needs bash 5.1.
((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)) || cold
# The user's umask, restored for a cold launch; the launcher's own files are private whatever it is.
while read -r tfaws_key tfaws_value; do [[ $tfaws_key == Umask: ]] && tfaws_user_umask=$tfaws_value && break; done 2>/dev/null </proc/$$/status
[[ -n $tfaws_user_umask ]] || cold
umask 077
set -C           # every file this launcher writes is new: created with O_EXCL under a random name
trap '' PIPE     # a peer that closes early makes a write fail, not the launcher die

# The runtime directory: entered (so that every name below is relative to the directory checked, whatever happens to
# its path) and the user's own. The server checks the rest (mode 0700, no other user on the way) and refuses it
# otherwise; the launcher's safety does not depend on it: its launch file is 0600, new and unguessable.
tfaws_dir=${TF_AWS_WARM_DIR:-${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/terraform-provider-aws-ts-$UID}
[[ $tfaws_dir == /* ]] || tfaws_dir=$tfaws_cwd/$tfaws_dir
[[ $tfaws_dir != *$'\n'* ]] || cold
{ cd -P -- "$tfaws_dir" || { mkdir -p -- "$tfaws_dir" && cd -P -- "$tfaws_dir"; }; } 2>/dev/null || cold
[[ -O . ]] || cold

# What a server must share with this launch, besides the build: every exported variable but go-plugin's per-launch
# ones (PLUGIN_*, passed on to the instance) and those the shell itself sets. Names come from ${!X*} expansions;
# exported ones carry the x attribute.
tfaws_env_pairs=() tfaws_plugin_pairs=()
for tfaws_name in ${!A*} ${!B*} ${!C*} ${!D*} ${!E*} ${!F*} ${!G*} ${!H*} ${!I*} ${!J*} ${!K*} ${!L*} ${!M*} ${!N*} ${!O*} ${!P*} ${!Q*} ${!R*} ${!S*} ${!T*} ${!U*} ${!V*} ${!W*} ${!X*} ${!Y*} ${!Z*} ${!a*} ${!b*} ${!c*} ${!d*} ${!e*} ${!f*} ${!g*} ${!h*} ${!i*} ${!j*} ${!k*} ${!l*} ${!m*} ${!n*} ${!o*} ${!p*} ${!q*} ${!r*} ${!s*} ${!t*} ${!u*} ${!v*} ${!w*} ${!x*} ${!y*} ${!z*} ${!_*}; do
  [[ ${!tfaws_name@a} == *x* ]] || continue
  case $tfaws_name in
    PLUGIN_*) tfaws_plugin_pairs+=("$tfaws_name=${!tfaws_name}") ;;
    _ | SHLVL | OLDPWD | PWD | TF_AWS_WARM_SERVER) ;;
    *) tfaws_env_pairs+=("$tfaws_name=${!tfaws_name}") ;;
  esac
done
printf -v tfaws_environment '%q\n' "${tfaws_env_pairs[@]}"
# More than a server takes (src/warm/channel.ts): served cold, and no server started for it.
((${#tfaws_environment} <= 1048576)) || cold

numeric() { [[ -n $1 && $1 != *[!0-9]* ]]; }

# Whether pid $1 is the warm server named $2: alive, the user's, and carrying its name first in the environment it
# was started with, which only the user can read. A dead server's pid taken by another process (any user's, a
# zombie) fails.
is_server() {
  local tfaws_first
  numeric "$1" && [[ -O /proc/$1 ]] && { IFS= read -r -d '' tfaws_first </proc/$1/environ; } 2>/dev/null &&
    [[ $tfaws_first == "TF_AWS_WARM_SERVER=$2" ]]
}

# Hand this launch to the server <name>.server describes; returns only if it does not take it.
launch_on() {
  local tfaws_name=$1 port tfaws_pid build size request nonce answer line
  [[ -O $tfaws_name.server ]] && { read -r port tfaws_pid build size <"$tfaws_name.server"; } 2>/dev/null || return
  # The file says which build and environment (by its length) the server has; it checks the rest.
  [[ $build == "$tfaws_build" && $size == "${#tfaws_environment}" ]] && numeric "$port" || return
  # A dead server's file: ignored, and removed (a fork, but only once, after a server was killed).
  is_server "$tfaws_pid" "$tfaws_name" || { rm -f -- "$tfaws_name.server"; return; }
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return
  # The launch goes into a new private file; only its name goes over the socket. Only a process that can read the
  # file can answer with its nonce.
  printf -v request '%08x%08x%08x%08x.launch' "$SRANDOM" "$SRANDOM" "$SRANDOM" "$SRANDOM"
  printf -v nonce '%08x%08x%08x%08x' "$SRANDOM" "$SRANDOM" "$SRANDOM" "$SRANDOM"
  if { printf '%s\0' TFAWS3 "$nonce" "$tfaws_build" "$tfaws_cwd" "$PPID" "$$" "${tfaws_plugin_pairs[@]}" "" "$tfaws_environment" >"$request" &&
    printf '%s\n' "$request" >&3; } 2>/dev/null && read -r -t 10 answer line <&3 && [[ $answer == "$nonce" && $line == 1\|* ]]; then
    # Terraform answers Ctrl-C with StopProvider and Shutdown; like the provider process, survive the signal.
    # (Terraform ends a provider with Shutdown, then SIGKILL. A SIGTERM in the instant between the line and the exec
    # can be lost, as bash holds terminating signals after `read -t`: cat then lasts until Terraform exits.)
    trap '' INT
    trap - PIPE
    printf '%s\n' "$line"
    exec -a "$0" cat <&3 >&2
  fi
  exec 3<&-
  # Read by no server (it deletes what it reads): not left behind.
  [[ ! -e $request ]] || rm -f -- "$request"
}

for tfaws_server in *.server; do
  launch_on "${tfaws_server%.server}"
done

# No server took the launch. Start one for the next launches, unless one is starting or the directory was refused a
# moment ago (refused: "until reason"); at the user's bound of servers, the one idle longest (no instance, its status
# file the oldest) is asked to retire (SIGUSR2: it takes no more launches and exits once idle) to make room, and
# without one no server is started. Then serve this launch the ordinary way.
tfaws_servers=0 tfaws_starting=0 tfaws_refused=0 tfaws_stale=() tfaws_idlest= tfaws_idlest_status= tfaws_status=
for tfaws_file in *.server *.starting; do
  [[ -O $tfaws_file ]] && { read -r tfaws_first tfaws_second _ <"$tfaws_file"; } 2>/dev/null || continue
  [[ $tfaws_file == *.server ]] && tfaws_pid=$tfaws_second || tfaws_pid=$tfaws_first
  if ! is_server "$tfaws_pid" "${tfaws_file%.*}"; then
    tfaws_stale+=("$tfaws_file")
    continue
  fi
  ((tfaws_servers += 1))
  [[ $tfaws_file == *.server ]] || { tfaws_starting=1 && continue; }
  [[ -O ${tfaws_file%.*}.status ]] && { read -r tfaws_status <"${tfaws_file%.*}.status"; } 2>/dev/null || continue
  [[ $tfaws_status == *'"instances":0,'* && ( -z $tfaws_idlest || $tfaws_idlest_status -nt ${tfaws_file%.*}.status ) ]] && tfaws_idlest=$tfaws_pid tfaws_idlest_status=${tfaws_file%.*}.status
done
((${#tfaws_stale[@]} == 0)) || rm -f -- "${tfaws_stale[@]}"
if [[ -O refused ]] && { read -r tfaws_refused_until _ <refused; } 2>/dev/null && numeric "$tfaws_refused_until" && ((EPOCHSECONDS < tfaws_refused_until)); then
  tfaws_refused=1
fi
tfaws_max=${TF_AWS_WARM_MAX_SERVERS:-4}
numeric "$tfaws_max" || tfaws_max=4
if ((tfaws_starting == 0 && tfaws_refused == 0 && tfaws_servers >= tfaws_max && tfaws_max > 0)) && [[ -n $tfaws_idlest ]] && kill -USR2 "$tfaws_idlest" 2>/dev/null; then
  ((tfaws_servers -= 1))
fi
if ((tfaws_starting == 0 && tfaws_refused == 0 && tfaws_servers < tfaws_max)); then
  printf -v tfaws_name '%08x%08x%08x' "$SRANDOM" "$SRANDOM" "$SRANDOM"
  # Nothing in its arguments: the build, the environment's size, the user's umask, the directory's path and the
  # environment go on its stdin; its name, first in its environment, lets launchers know its pid for its own.
  TF_AWS_WARM_SERVER=$tfaws_name setsid node "$tfaws_here/lib/main.js" --warm-server \
    <<<"$tfaws_build ${#tfaws_environment} $tfaws_user_umask"$'\n'"$tfaws_dir"$'\n'"$tfaws_environment" >>"$tfaws_name.log" 2>&1 &
  printf '%s\n' "$!" >"$tfaws_name.starting"
fi
cold
