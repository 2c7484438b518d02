"""Run every notebook top to bottom in a fresh Jupyter kernel, as a reader does: `python tools/run_notebooks.py`.

nbdev_test runs the notebooks inside its own process and skips `#| slow` cells. This runs each one as Jupyter
or Colab would: a new ipykernel per notebook, every cell in order, slow cells included, offline, on the embedded
dataset. It sets `HPETS_QUICK=1`, so the slow cells take the small sizes `slow_size` gives them. The notebooks
run as copies in a temporary folder: the committed outputs (the full-size runs) are left as they are.

It first checks that each notebook opens with its Colab badge and the Colab install cell, and that no committed
output holds a warning or a path of the machine that made it. Ends with a line 'notebooks: N of M ran top to bottom'.

`--write` refreshes the committed outputs instead: each notebook runs in a fresh kernel in nbs/ itself, its
`#| slow` cells skipped so that they keep the outputs of their full-size runs, and the outputs are written back.
Run `nbdev_clean` after it.

`--slow` runs only the notebooks that hold `#| slow` cells (the badge and output checks still cover all of them):
CI runs nbdev_test first, which runs every other cell already, so this is what a fresh kernel adds there.
"""
import argparse, os, re, shutil, sys, tempfile, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from jupyter_client.manager import KernelManager
from nbdev.config import get_config
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parents[1]

def colab_url(nb_path, cfg):
    return f"https://colab.research.google.com/github/{cfg.user}/{cfg.repo}/blob/{cfg.branch}/nbs/{nb_path.name}"

def check_colab(nb_path, nb, cfg):
    "The cell after the title is the badge to this notebook's own Colab URL, and the next one installs in Colab only"
    cells, url = nb.cells, colab_url(nb_path, cfg)
    t = next((i for i, c in enumerate(cells) if c.cell_type == 'markdown' and c.source.startswith('# ')), None)
    if t is None or t + 2 >= len(cells): return f'{nb_path.name}: no title cell followed by the badge and the install cell'
    badge, inst = cells[t + 1], cells[t + 2]
    if badge.cell_type != 'markdown' or f']({url})' not in badge.source:
        return f'{nb_path.name}: the cell after the title should be the "Open in Colab" badge linking to {url}'
    if inst.cell_type != 'code' or "'google.colab' in str(get_ipython())" not in inst.source or f'git+{cfg.git_url}' not in inst.source:
        return f'{nb_path.name}: the cell after the badge should install `git+{cfg.git_url}` when it runs in Colab'

# A path of the machine that ran a cell (a temporary folder, a virtual environment, a home) or a warning
_MACHINE = re.compile(r'/tmp/tmp\w+|/\S*site-packages/|/(?:home|root|Users|work)/\S+|\w*Warning: ')

def check_outputs(nb_path, nb):
    "Committed outputs hold no warning and no path of the machine that produced them"
    for i, c in enumerate(nb.cells):
        for o in c.get('outputs', []):
            text = o.get('text', '') + ''.join(str(v) for k, v in o.get('data', {}).items() if k.startswith('text/'))
            m = _MACHINE.search(text)
            if m: return f'{nb_path.name}: the output of cell {i} holds {m.group(0)!r}: refresh it with --write, or fix what prints it'

def is_slow(cell):
    "A code cell that nbdev_test skips unless `--flags slow`"
    return cell.cell_type == 'code' and re.search(r'^#\|\s*slow\b', cell.source, re.M) is not None

class SlowSkipper(NotebookClient):
    "Runs every cell but the `#| slow` ones, which keep their committed outputs"
    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if is_slow(cell): return cell
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

def run(nb_path, workdir, timeout, write=False):
    "Execute `nb_path` in a new kernel in `workdir`: a copy there, or (`write`) the notebook itself, slow cells kept"
    nb = nbformat.read(nb_path, as_version=4)
    t0 = time.time()
    km = KernelManager(kernel_name='python3', transport='ipc', ip=str(workdir/'.kernel'))  # local sockets, not TCP
    client = (SlowSkipper if write else NotebookClient)(nb, km=km, timeout=timeout, resources={'metadata': {'path': str(workdir)}})
    try: client.execute()
    finally:
        if km.has_kernel: km.shutdown_kernel(now=True)      # a client given its kernel manager leaves the kernel running
        if not write: nbformat.write(nb, workdir/nb_path.name)  # the executed copy, outputs up to a failure included
    if write: nbformat.write(nb, nb_path)
    return time.time() - t0

def has_slow(nb_path):
    "Does the notebook hold a `#| slow` cell?"
    return any(map(is_slow, nbformat.read(nb_path, as_version=4).cells))

def main(names=None, timeout=900, keep=False, write=False, slow=False):
    if write: os.environ.pop('MPLBACKEND', None)              # Jupyter's inline backend: figures land in the outputs
    else:
        os.environ['HPETS_QUICK'] = '1'                      # the kernels inherit it: slow cells at quick sizes
        os.environ.setdefault('MPLBACKEND', 'agg')
    nbs = sorted((ROOT/'nbs').glob('*.ipynb'))
    if names:
        unknown = [n for n in names if not any(n in (p.stem, p.name) for p in nbs)]
        if unknown: sys.exit(f'no notebook named {unknown} in nbs/: choose from {[p.stem for p in nbs]}')
        nbs = [p for p in nbs if p.stem in names or p.name in names]
    work = ROOT/'nbs' if write else Path(tempfile.mkdtemp(prefix='hpets-nbs-'))
    if not write: shutil.copytree(ROOT/'nbs', work, dirs_exist_ok=True, ignore=shutil.ignore_patterns('*.ipynb'))
    passed, skipped, failed, t0, cfg = 0, 0, [], time.time(), get_config(path=ROOT)
    for p in nbs:
        nb = nbformat.read(p, as_version=4)
        problem = check_colab(p, nb, cfg) or (None if write else check_outputs(p, nb))
        if problem: failed.append(p.name); print(f'[FAILED] {problem}', flush=True); continue
        if slow and not has_slow(p): skipped += 1; continue
        try:
            secs = run(p, work, timeout, write)
            passed += 1; print(f'[ok] {p.name}: top to bottom in a fresh kernel, {secs:.0f}s{", outputs written" if write else ""}', flush=True)
        except CellExecutionError as e:
            failed.append(p.name)
            print(f'[FAILED] {p.name}: a cell raised\n{str(e)[-3000:]}', flush=True)
        except (CellTimeoutError, DeadKernelError) as e:
            failed.append(p.name)
            print(f'[FAILED] {p.name}: {type(e).__name__}: {e} (--timeout sets the seconds a cell may take)', flush=True)
    if not write and (keep or failed): print(f'working copies in {work}')
    elif not write: shutil.rmtree(work, ignore_errors=True)
    extra = f' ({skipped} without slow cells checked, not run: --slow)' if slow else ''
    print(f'notebooks: {passed} of {len(nbs) - skipped} ran top to bottom{extra}, in {time.time() - t0:.0f} s')
    return not failed

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('names', nargs='*', help='notebooks to run, e.g. 00_data (default: all)')
    ap.add_argument('--timeout', type=int, default=900, help='seconds one cell may take')
    ap.add_argument('--keep', action='store_true', help='keep the executed copies')
    ap.add_argument('--write', action='store_true', help="refresh the notebooks' committed outputs, slow cells kept as they are")
    ap.add_argument('--slow', action='store_true', help='only the notebooks with `#| slow` cells (what nbdev_test skips)')
    a = ap.parse_args()
    if a.slow and a.write: ap.error('--slow runs the slow cells at quick sizes; --write keeps their full-size outputs: choose one')
    sys.exit(0 if main(a.names, a.timeout, a.keep, a.write, a.slow) else 1)
