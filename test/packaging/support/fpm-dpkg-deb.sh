#!/bin/sh
# electron-builder runs fpm as an executable: this hands its arguments to the Node stand-in.
exec node "$(dirname "$0")/fpm-dpkg-deb.ts" "$@"
