"""Write README.md from nbs/index.ipynb, or check that it is in step (--check).

nbdev_readme needs Quarto, which cannot be installed offline, so this does the same
for the parts a README needs: markdown cells as they are, code cells as Python blocks,
markdown outputs as markdown, text outputs as plain blocks; cells marked `#| hide` are left out,
and cells marked `#| echo: false` show their outputs only."""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
HEADER = '<!-- Made from nbs/index.ipynb by `python tools/sync_readme.py`: edit the notebook, not this file. -->\n\n'

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

def _links(md):
    "Links to a docs page, `](report.html)`, as links to its notebook, which GitHub shows"
    pages = {p.stem.split('_', 1)[-1]: p.name for p in (root/'nbs').glob('[0-9]*.ipynb')}
    return re.sub(r'\]\((\w+)\.html', lambda m: f'](nbs/{pages[m[1]]}' if m[1] in pages else m[0], md)

def readme(nb_path=root/'nbs'/'index.ipynb'):
    parts = []
    for c in json.loads(Path(nb_path).read_text())['cells']:
        src = _src(c).strip()
        lines = src.splitlines()
        if any(l.strip().replace(' ', '') in ('#|hide', '#|include:false') for l in lines): continue
        if c['cell_type'] == 'markdown': parts.append(_links(src.replace('](images/', '](nbs/images/')))  # paths relative to nbs/
        elif c['cell_type'] == 'code':
            code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
            if code and not any(l.strip().replace(' ', '') == '#|echo:false' for l in lines): parts.append(f'```python\n{code}\n```')
            for o in c.get('outputs', []):
                md = o.get('data', {}).get('text/markdown')
                if md: parts.append((''.join(md) if isinstance(md, list) else md).strip()); continue
                text = o.get('text') or o.get('data', {}).get('text/plain')
                if text: parts.append('```\n' + (''.join(text) if isinstance(text, list) else text).rstrip() + '\n```')
    return HEADER + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    new, dest = readme(), root/'README.md'
    if '--check' in sys.argv:
        if not dest.exists() or dest.read_text() != new:
            sys.exit('README.md is out of step with nbs/index.ipynb: run `python tools/sync_readme.py` and commit the result.')
        print('README.md is in step with nbs/index.ipynb')
    else: dest.write_text(new); print(f'wrote {dest}')
