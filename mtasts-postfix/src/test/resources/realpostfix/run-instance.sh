# Runs as PID 1 of a private PID and mount namespace (unshare --pid --fork --mount), so that when it
# exits the kernel kills every Postfix process left in the namespace. $1 is the instance directory.
set -eu
# Postfix as root refuses a -c directory that the default main.cf does not list, and the machine's
# /etc stays untouched: the instance's own directory is /etc/postfix inside this namespace only.
mount --bind "$1/etc" /etc/postfix
# The C library's resolver asks port 53 only: the test's DNS server on a 127/8 address of its own.
mount --bind "$1/resolv.conf" /etc/resolv.conf
postfix start-fg </dev/null &
# The test closes our stdin to stop Postfix; so does the end of the JVM, however it ends.
read -r _ || true
postfix stop || true
wait
