exec 3<>/dev/tcp/127.0.0.1/45678
t0=$EPOCHREALTIME; printf 'hi\n' >&3; IFS= read -r -N 701 line <&3; t1=$EPOCHREALTIME
echo "$t0 $t1" 
