#!/bin/sh
# Prints the path of a Python >= 3.12 (Django 6 needs it), or explains what is missing.
pyroot=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for cand in "${RATUSZ_PYTHON:-}" python3.12 python3.13 python3 \
    "$pyroot"/versions/3.12*/bin/python3 "$pyroot"/versions/3.13*/bin/python3; do
  [ -n "$cand" ] || continue
  path=$(command -v "$cand" 2>/dev/null) || continue
  if "$path" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$path"; exit 0
  fi
done
echo "ratusz needs Python 3.12 or newer (Django 6); install it or set RATUSZ_PYTHON=/path/to/python3.12" >&2
exit 1
