#!/bin/sh
basedir=$(dirname "$(echo "$0" | sed -e 's,\\,/,g')")

case `uname` in
    *CYGWIN*|*MINGW*|*MSYS*)
        if command -v cygpath > /dev/null 2>&1; then
            basedir=`cygpath -w "$basedir"`
        fi
    ;;
esac

if [ -x "$basedir/sh" ]; then
  exec "$basedir/sh"  "$basedir/../pkg/bin/tool.sh" "$@"
else
  exec sh  "$basedir/../pkg/bin/tool.sh" "$@"
fi
