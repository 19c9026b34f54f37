#!/usr/bin/env bash
# Assembles what the services' images hold, for Jib to layer on an empty base (FROM scratch):
#   runtime/  a Java runtime made with jlink from the build's JDK, holding only the modules the
#             services use, under /opt/java; the C libraries it links, taken from this (Linux)
#             build machine; /tmp; and a non-root user (65532, as in distroless images).
#   relay/, order-service/  each service's runnable jar under /app and its configuration under
#             /config, the same file as config/ in the checkout, ${VAR} placeholders and all.
# No base image comes from a registry, so the images build where only Maven Central is reachable.
#
# Usage: assemble.sh JAVA_HOME MODULES CHECKOUT VERSION OUT
set -euo pipefail
java_home=$1 modules=$2 checkout=$3 version=$4 out=$5

if [ "$(uname -s)" != Linux ]; then
  echo "assemble.sh: the images' runtime is made from the build's JDK and C libraries, so it" \
    "must be built on Linux (this is $(uname -s))" >&2
  exit 1
fi

rm -rf "$out"
runtime="$out/runtime"
mkdir -p "$runtime/opt" "$runtime/tmp" "$runtime/home/nonroot"
# java.desktop is there for java.beans, which Jackson and the validator use; its native AWT, font,
# sound and image libraries are left out, with the X11, font and image libraries they would link.
# The services are headless: nothing calls them.
desktop_natives='**/libawt.so,**/libawt_headless.so,**/libawt_xawt.so,**/libjawt.so'
desktop_natives+=',**/libfontmanager.so,**/libjsound.so,**/libsplashscreen.so,**/liblcms.so'
desktop_natives+=',**/libjavajpeg.so,**/libmlib_image.so'
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --exclude-files="$desktop_natives" --output "$runtime/opt/java"

# Debian's JDK links its trust store to the system's; the image has no system, so it gets a copy.
cacerts="$runtime/opt/java/lib/security/cacerts"
if [ -L "$cacerts" ]; then
  target=$(readlink -f "$cacerts")
  rm "$cacerts"
  cp "$target" "$cacerts"
fi

# The C libraries of every executable and shared object of the runtime, at the paths the dynamic
# loader looks in, and the loader itself.
find "$runtime/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' \
  | grep -v "^$runtime" | sort -u \
  | while read -r library; do
      mkdir -p "$runtime$(dirname "$library")"
      cp -L "$library" "$runtime$library"
    done
cp -r "$(dirname "$0")/root/." "$runtime/"

for service in relay:outbox-relay:relay.yml order-service:sample-order-service:order-service.yml; do
  IFS=: read -r name module config <<<"$service"
  mkdir -p "$out/$name/app" "$out/$name/config"
  cp "$checkout/$module/target/$module-$version.jar" "$out/$name/app/$module.jar"
  cp "$checkout/config/$config" "$out/$name/config/$config"
done
