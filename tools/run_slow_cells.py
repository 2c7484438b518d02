"""Refresh the committed output of chosen `#| slow` cells: `python tools/run_slow_cells.py nbs/NB.ipynb 'TEXT' ['TEXT' ...]`.

`tools/run_notebooks.py --write` refreshes every other cell and keeps the slow cells' outputs, since those are full-size
runs. This runs NB top to bottom in a fresh kernel in nbs/, at full size (no `HPETS_QUICK`), skipping every slow cell
except those whose source contains one of the TEXTs, and writes back only those cells' outputs. Run `nbdev_clean` after it.
"""
import sys, re, copy
from pathlib import Path
import nbformat
from nbclient import NotebookClient

def main(nb_path, *markers):
    nbp = Path(nb_path)
    orig = nbformat.read(nbp, as_version=4)
    nb, keep = copy.deepcopy(orig), lambda c: any(m in c.source for m in markers)
    class Client(NotebookClient):
        async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
            if cell.cell_type == 'code' and re.search(r'^#\|\s*slow\b', cell.source, re.M) and not keep(cell): return cell
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
    Client(nb, timeout=7200, kernel_name='python3', resources={'metadata': {'path': str(nbp.parent)}}).execute()
    n = 0
    for o, c in zip(orig.cells, nb.cells):
        if o.cell_type == 'code' and keep(o): o.outputs, n = c.outputs, n + 1
    if not n: sys.exit(f'no cell of {nbp} contains {markers}')
    nbformat.write(orig, nbp)
    print(f'{nbp.name}: refreshed the output of {n} cell{"s" * (n > 1)}')

if __name__ == '__main__':
    if len(sys.argv) < 3: sys.exit(__doc__)
    main(*sys.argv[1:])
