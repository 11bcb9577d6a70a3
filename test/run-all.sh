#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: both type checks, the build, vitest, the
# notebooks under the real Jupyter client, and the REPL driven in tmux. Each step's result is
# added into one closing line `N passed, N failed` (vitest tests, notebooks and tmux checks
# count one each; each type check and the build count one).
# A missing prerequisite fails with the Debian package to install; nothing is skipped silently.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

step() { # step NAME CMD... : runs a step that counts as one check
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

count() { # count NAME FILE PREFIX : adds 'PREFIX: N passed, N failed' from a log
  local line p f
  line=$(grep -E "^$3: [0-9]+ passed, [0-9]+ failed" "$2" | tail -n 1)
  if [[ -z $line ]]; then
    echo "FAILED: $1 printed no summary"; failed=$((failed + 1)); return
  fi
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.*passed, ([0-9]+) failed.*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f))
}

prereq_ok=1
if ! /usr/bin/python3 -c 'import nbclient, nbformat' 2>/dev/null; then
  echo "MISSING PREREQUISITE: python3-nbclient (sudo apt-get install python3-nbclient) — needed to execute the notebooks"
  prereq_ok=0
fi
if ! command -v tmux >/dev/null; then
  echo "MISSING PREREQUISITE: tmux (sudo apt-get install tmux) — needed for the REPL terminal test"
  prereq_ok=0
fi
[[ $prereq_ok == 1 ]] || failed=$((failed + 1))

step "typecheck (tsc 5.9, strict)" npm run -s typecheck
step "typecheck:tslab (tslab's tsc 5.0 rules for lib/)" npm run -s typecheck:tslab
step "build" npm run -s build

echo "== vitest"
npx vitest run 2>&1 | tee "$out/vitest.log"
count vitest "$out/vitest.log" vitest

if compgen -G "notebooks/*.ipynb" >/dev/null; then
  if /usr/bin/python3 -c 'import nbclient' 2>/dev/null; then
    echo "== notebooks"
    npm run -s test:notebooks 2>&1 | tee "$out/nb.log"
    count notebooks "$out/nb.log" notebooks
  fi
fi

if [[ -f test/tmux-smoke.sh ]] && command -v tmux >/dev/null; then
  echo "== tmux"
  bash test/tmux-smoke.sh 2>&1 | tee "$out/tmux.log"
  count tmux "$out/tmux.log" tmux
fi

echo
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
