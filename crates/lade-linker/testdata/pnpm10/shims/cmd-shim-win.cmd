#!/bin/sh
basedir=$(dirname "$(echo "$0" | sed -e 's,\\,/,g')")

case `uname` in
    *CYGWIN*|*MINGW*|*MSYS*)
        if command -v cygpath > /dev/null 2>&1; then
            basedir=`cygpath -w "$basedir"`
        fi
    ;;
esac

if [ -x "$basedir/cmd" ]; then
  exec "$basedir/cmd" /C "$basedir/../pkg/bin/win.cmd" "$@"
else
  exec cmd /C "$basedir/../pkg/bin/win.cmd" "$@"
fi
