#!/usr/bin/python3
# Executes notebooks headlessly under the real Jupyter client with the tslab kernel.
# usage: run-notebooks.py [NB ...]   (default: notebooks/*.ipynb)
# env: NB_TIMEOUT (seconds per cell, default 300: the first cell compiles lib/), NB_OUT (folder for the executed copies)
# A notebook fails on an error, on any stderr output (tslab reports compile errors there), or
# when a cell that calls show(...) / grade(...) / problem(...) displays nothing (pictures and
# reports must appear inline as image/svg+xml or text/html).
import glob, os, sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault('JUPYTER_PATH', os.path.join(ROOT, '.jupyter'))
os.environ.setdefault('MMLAB_TSLAB_WATCH', '0')  # kernel launcher: no file watching (see tslab-kernel.cjs)
nbs = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, 'notebooks', '*.ipynb')))
out, passed, failed = os.environ.get('NB_OUT'), 0, 0
DISPLAY_CALLS = ('show(', 'grade(', 'problem(', 'reveal(')
for p in nbs:
    nb, t0, err = nbformat.read(p, as_version=4), time.monotonic(), None
    try:
        NotebookClient(nb, timeout=int(os.environ.get('NB_TIMEOUT', 300)), kernel_name='tslab',
                       resources={'metadata': {'path': ROOT}}).execute()
    except (CellExecutionError, CellTimeoutError) as e:
        err = e
    bad = [(i, o.get('text', '') or o.get('evalue', '')) for i, c in enumerate(nb.cells) for o in c.get('outputs', [])
           if o.get('output_type') == 'error' or o.get('name') == 'stderr']
    svg = 0
    for i, c in enumerate(nb.cells):
        if c.cell_type != 'code':
            continue
        shown = [o for o in c.get('outputs', []) if o.get('output_type') == 'display_data'
                 and ('image/svg+xml' in o.get('data', {}) or 'text/html' in o.get('data', {}))]
        svg += sum(1 for o in shown if 'image/svg+xml' in o.get('data', {}))
        src = c.source if isinstance(c.source, str) else ''.join(c.source)
        code_lines = [l for l in src.split('\n') if not l.strip().startswith('//')]
        if any(k in l for l in code_lines for k in DISPLAY_CALLS) and not shown and not err:
            bad.append((i, 'displayed nothing (expected an inline picture or report)'))
    if out:
        os.makedirs(out, exist_ok=True)
        nbformat.write(nb, os.path.join(out, os.path.basename(p)))
    ok = err is None and not bad
    passed, failed = passed + ok, failed + (not ok)
    print('%s %s (%.1fs, %d svg)' % ('PASS' if ok else 'FAIL', os.path.relpath(p, ROOT), time.monotonic() - t0, svg))
    for i, text in bad:
        print('  cell %d: %s' % (i, str(text).strip()[:2000]))
    if err is not None and not bad:
        print('  ' + str(err).strip().splitlines()[-1])
print('notebooks: %d passed, %d failed' % (passed, failed))
sys.exit(1 if failed or not nbs else 0)
