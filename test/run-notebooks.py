#!/usr/bin/python3
# Executes notebooks headlessly under the real Jupyter client with the tslab kernel.
# usage: run-notebooks.py [NB ...]   (default: notebooks/*.ipynb)
# env: NB_TIMEOUT (seconds per cell, default 300: the first cell compiles lib/), NB_OUT (folder for
#      the executed copies), NB_JOBS (notebooks run at once, default: the number of CPUs — each
#      kernel compiles lib/ on one core, so two cores run two notebooks in about the time of one).
# A notebook fails on an error, on any stderr output (tslab reports compile errors there), or
# when a cell that calls show(...) / grade(...) / problem(...) displays nothing (pictures and
# reports must appear inline as image/svg+xml or text/html).
import glob, os, sys, time
from concurrent.futures import ProcessPoolExecutor, as_completed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault('JUPYTER_PATH', os.path.join(ROOT, '.jupyter'))
os.environ.setdefault('MMLAB_TSLAB_WATCH', '0')  # kernel launcher: no file watching (see tslab-kernel.cjs)
DISPLAY_CALLS = ('show(', 'grade(', 'problem(', 'reveal(')


def run_one(p):
    """Executes one notebook; returns (ok, report lines)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
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
    out = os.environ.get('NB_OUT')
    if out:
        os.makedirs(out, exist_ok=True)
        nbformat.write(nb, os.path.join(out, os.path.basename(p)))
    ok = err is None and not bad
    lines = ['%s %s (%.1fs, %d svg)' % ('PASS' if ok else 'FAIL', os.path.relpath(p, ROOT), time.monotonic() - t0, svg)]
    for i, text in bad:
        lines.append('  cell %d: %s' % (i, str(text).strip()[:2000]))
    if err is not None and not bad:
        lines.append('  ' + str(err).strip().splitlines()[-1])
    return ok, lines


def main():
    nbs = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, 'notebooks', '*.ipynb')))
    jobs = max(1, int(os.environ.get('NB_JOBS', os.cpu_count() or 1)))
    passed = failed = 0
    with ProcessPoolExecutor(max_workers=min(jobs, max(1, len(nbs)))) as pool:
        futures = [pool.submit(run_one, p) for p in nbs]
        for f in as_completed(futures):
            try:
                ok, lines = f.result()
            except Exception as e:  # a crashed worker is a failed notebook, never a hang
                ok, lines = False, ['FAIL (runner error: %s)' % e]
            passed, failed = passed + ok, failed + (not ok)
            print('\n'.join(lines), flush=True)
    print('notebooks: %d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed or not nbs else 0)


if __name__ == '__main__':
    main()
