#!/bin/sh
# make install and make uninstall, staged in DESTDIR: the binary in sbin,
# the manual pages in share/man, the examples and service files in
# share/doc/capsuled, nothing outside PREFIX unless asked (SYSCONFDIR,
# SYSTEMDUNITDIR, OPENRCDIR); the installed files name the installed
# paths; the settings file is never replaced nor removed.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

mk() { make -s -C "$TOP" "$@" >"$T_TMP/make.out" 2>&1 ||
    { cat "$T_TMP/make.out"; return 1; }; }
# files DIR: the files under DIR, relative to it, sorted.
files() { (cd "$1" && find . -type f -o -type l | sed 's|^\./||' | sort); }

dest=$T_TMP/default
check "make install DESTDIR=..." mk install DESTDIR="$dest"
cat >"$T_TMP/want" <<'LIST'
usr/local/sbin/capsuled
usr/local/share/doc/capsuled/LICENSE
usr/local/share/doc/capsuled/NEWS
usr/local/share/doc/capsuled/README.md
usr/local/share/doc/capsuled/capsuled-vps.yml
usr/local/share/doc/capsuled/capsuled.logrotate
usr/local/share/doc/capsuled/capsuled.openrc
usr/local/share/doc/capsuled/capsuled.service
usr/local/share/doc/capsuled/capsuled.sysusers
usr/local/share/doc/capsuled/capsuled.tmpfiles
usr/local/share/doc/capsuled/capsuled.yml
usr/local/share/doc/capsuled/haproxy.cfg
usr/local/share/man/man5/capsuled.yml.5
usr/local/share/man/man8/capsuled.8
LIST
files "$dest" >"$T_TMP/got"
check "under /usr/local alone, those files" cmp -s "$T_TMP/want" "$T_TMP/got"
diff "$T_TMP/want" "$T_TMP/got"
check "the binary runs" sh -c '"$1/usr/local/sbin/capsuled" --version |
    grep -q "^capsuled "' - "$dest"
check "executable, the rest not" [ "$(stat -c %a \
    "$dest/usr/local/sbin/capsuled")" = 755 -a "$(stat -c %a \
    "$dest/usr/local/share/man/man8/capsuled.8")" = 644 ]
check "the pages are man's" sh -c 'MANPATH="$1/usr/local/share/man" \
    man -w capsuled.yml | grep -q man5/capsuled.yml.5' - "$dest"
check "the shipped files as they are, for this prefix" \
    cmp -s "$TOP/contrib/capsuled.service" \
    "$dest/usr/local/share/doc/capsuled/capsuled.service"
check "make uninstall DESTDIR=..." mk uninstall DESTDIR="$dest"
check "nothing left" [ -z "$(files "$dest")" ]

# Another prefix, and every optional folder.
o=$T_TMP/other
set -- DESTDIR="$o" PREFIX=/opt/cd SYSCONFDIR=/opt/cd/etc \
    SYSTEMDUNITDIR=/opt/cd/lib/systemd/system OPENRCDIR=/opt/cd/etc/init.d
check "make install PREFIX=/opt/cd and the optional folders" mk install "$@"
check "nothing outside PREFIX" [ "$(ls "$o")" = opt -a "$(ls "$o/opt")" = cd ]
for f in lib/systemd/system/capsuled.service lib/sysusers.d/capsuled.conf \
    lib/tmpfiles.d/capsuled.conf etc/init.d/capsuled \
    etc/logrotate.d/capsuled etc/capsuled.yml; do
	check "installed: $f" [ -f "$o/opt/cd/$f" ]
done
check "the unit runs the installed binary with the installed settings" \
    grep -qx 'ExecStart=/opt/cd/sbin/capsuled --config /opt/cd/etc/capsuled.yml' \
    "$o/opt/cd/lib/systemd/system/capsuled.service"
check "so does the OpenRC script" sh -c 'grep -qx "command=\"/opt/cd/sbin/capsuled\"" "$1" &&
    grep -q "/opt/cd/etc/capsuled.yml" "$1"' - "$o/opt/cd/etc/init.d/capsuled"
check "the OpenRC script is executable" [ -x "$o/opt/cd/etc/init.d/capsuled" ]
check "the manual names the installed examples" \
    grep -q '^\.It Pa /opt/cd/share/doc/capsuled/' \
    "$o/opt/cd/share/man/man5/capsuled.yml.5"
check "the settings file is the VPS example" \
    cmp -s "$TOP/contrib/capsuled-vps.yml" "$o/opt/cd/etc/capsuled.yml"
check "and loads" sh -c '"$1/sbin/capsuled" --config "$1/etc/capsuled.yml" \
    --root "$2" --list >/dev/null 2>&1' - "$o/opt/cd" "$TOP/capsule"
echo "root: /srv/mine" >>"$o/opt/cd/etc/capsuled.yml"
cp "$o/opt/cd/etc/capsuled.yml" "$T_TMP/mine.yml"
check "installed again" mk install "$@"
check "the owner's settings file is kept" \
    cmp -s "$T_TMP/mine.yml" "$o/opt/cd/etc/capsuled.yml"
check "make uninstall with the same folders" mk uninstall "$@"
check "only the settings file is left" \
    [ "$(files "$o")" = opt/cd/etc/capsuled.yml ]
finish
