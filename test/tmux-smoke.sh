#!/usr/bin/env bash
# Drives the BUILT REPL in a real terminal (tmux) as a person would: starts
# `node dist/repl/main.js`, types commands (text and Enter sent separately: Ink treats one
# chunk as one key event), reads the screen, quits. Every wait has a deadline.
# Prints one line per check, a `tmux: N passed, N failed` line and PASS/FAIL; exits non-zero
# on failure. Run after `npm run build`.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
  echo "tmux is not installed (apt-get install tmux)"
  echo "tmux: 0 passed, 1 failed"
  echo "FAIL tmux-smoke"
  exit 1
fi
if [[ ! -f dist/repl/main.js ]]; then
  echo "dist/repl/main.js is missing: run 'npm run build' first"
  echo "tmux: 0 passed, 1 failed"
  echo "FAIL tmux-smoke"
  exit 1
fi

S="mmlab-smoke-$$"
HIST=$(mktemp)
passed=0
failed=0
trap 'tmux kill-session -t "$S" 2>/dev/null; rm -f "$HIST"' EXIT

screen() { tmux capture-pane -p -t "$S" -S -200 2>/dev/null; }

# wait_for PATTERN SECONDS: true when the screen shows PATTERN (grep -E) before the deadline
wait_for() {
  local deadline=$(($(date +%s%N) + $2 * 1000000000))
  while (($(date +%s%N) < deadline)); do
    screen | grep -Eq -- "$1" && return 0
    sleep 0.05
  done
  return 1
}

check() { # check NAME PATTERN [SECONDS]
  if wait_for "$2" "${3:-5}"; then
    echo "ok   $1"; passed=$((passed + 1))
  else
    echo "FAIL $1 (no /$2/ on screen)"; failed=$((failed + 1))
    echo "----- screen -----"; screen | grep -v '^\s*$' | tail -n 25; echo "------------------"
  fi
}

type_line() { # type_line TEXT: the text, then Enter as its own key
  tmux send-keys -t "$S" -l "$1"
  sleep 0.15
  tmux send-keys -t "$S" Enter
}

tmux new-session -d -s "$S" -x 100 -y 40 "env CI=false MMLAB_HISTFILE=$HIST node dist/repl/main.js --preset tiny"

check "banner and prompt" '^mmlab>' 10
check "status bar names the machine" '^tiny' 5
type_line 'help'
check "help lists the groups" 'Simulation control' 5
type_line 'tick 250'
check "tick advances time" 'jiffies 250' 5
check "status bar shows the time" 't=1\.000s' 5
type_line 'cat /proc/buddyinfo'
check "cat /proc/buddyinfo" 'Node 0, zone' 5
type_line 'alloc_pages 2'
check "alloc_pages gives a handle" '\$1 = pfn' 5
type_line 'sys.clock.jiffies + 1'
check "TypeScript sees sys" '^251' 5
type_line 'alocpages 1'
check "did you mean" 'did you mean alloc_pages' 5
tmux send-keys -t "$S" -l 'kmem -'
sleep 0.15
tmux send-keys -t "$S" Tab
check "Tab lists kmem options" '-f +-g +-i' 5
tmux send-keys -t "$S" C-u
sleep 0.1
tmux send-keys -t "$S" Up
check "Up recalls the last line" 'mmlab> alocpages 1' 5
tmux send-keys -t "$S" C-u
sleep 0.1
type_line 'quit'
deadline=$(($(date +%s%N) + 5000000000))
while tmux has-session -t "$S" 2>/dev/null && (($(date +%s%N) < deadline)); do sleep 0.05; done
if tmux has-session -t "$S" 2>/dev/null; then
  echo "FAIL quit leaves"; failed=$((failed + 1))
else
  echo "ok   quit leaves"; passed=$((passed + 1))
fi
if grep -q '^tick 250$' "$HIST"; then
  echo "ok   history file written"; passed=$((passed + 1))
else
  echo "FAIL history file written (it holds:)"; od -c "$HIST" | head -5; failed=$((failed + 1))
fi

echo "tmux: $passed passed, $failed failed"
if ((failed)); then echo "FAIL tmux-smoke"; exit 1; fi
echo "PASS tmux-smoke"
