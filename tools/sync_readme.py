"""Write README.md from nbs/index.ipynb, or check that it is in step (--check).

nbdev_readme needs Quarto, which cannot be installed offline, so this does the same
for the parts a README needs: markdown cells as they are, code cells as Python blocks,
markdown outputs as markdown, text outputs as plain blocks; cells marked `#| hide` are left out,
and cells marked `#| echo: false` show their outputs only. A figure output is written to
nbs/images/readme_<cell id>.png, with its cell's `#| fig-alt:` as the alt text."""
import base64, json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
HEADER = '<!-- Made from nbs/index.ipynb by `python tools/sync_readme.py`: edit the notebook, not this file. -->\n\n'

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

def _links(md):
    "Links to a docs page, `](report.html)`, as links to its notebook, which GitHub shows"
    pages = {p.stem.split('_', 1)[-1]: p.name for p in (root/'nbs').glob('[0-9]*.ipynb')}
    return re.sub(r'\]\((\w+)\.html', lambda m: f'](nbs/{pages[m[1]]}' if m[1] in pages else m[0], md)

def _alt(lines, cid):
    alt = [l.split('fig-alt:', 1)[1].strip() for l in lines if l.replace(' ', '').startswith('#|fig-alt:')]
    if not alt: sys.exit(f"nbs/index.ipynb: the figure of cell {cid} needs a `#| fig-alt: ...` line, its README alt text.")
    return alt[0]

def readme(nb_path=root/'nbs'/'index.ipynb'):
    "The README's text, and the figures it links: {path: bytes}"
    parts, figs = [], {}
    for c in json.loads(Path(nb_path).read_text())['cells']:
        src = _src(c).strip()
        lines = src.splitlines()
        if any(l.strip().replace(' ', '') in ('#|hide', '#|include:false') for l in lines): continue
        if c['cell_type'] == 'markdown': parts.append(_links(src.replace('](images/', '](nbs/images/')))  # paths relative to nbs/
        elif c['cell_type'] == 'code':
            code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
            if code and not any(l.strip().replace(' ', '') == '#|echo:false' for l in lines): parts.append(f'```python\n{code}\n```')
            for o in c.get('outputs', []):
                png = o.get('data', {}).get('image/png')
                if png:
                    name = f"images/readme_{c['id']}.png"
                    figs[root/'nbs'/name] = base64.b64decode(''.join(png) if isinstance(png, list) else png)
                    parts.append(f'![{_alt(lines, c["id"])}](nbs/{name})'); continue
                md = o.get('data', {}).get('text/markdown')
                if md: parts.append((''.join(md) if isinstance(md, list) else md).strip()); continue
                text = o.get('text') or o.get('data', {}).get('text/plain')
                if text: parts.append('```\n' + (''.join(text) if isinstance(text, list) else text).rstrip() + '\n```')
    return HEADER + '\n\n'.join(parts) + '\n', figs

if __name__ == '__main__':
    (new, figs), dest = readme(), root/'README.md'
    if '--check' in sys.argv:
        stale = [p.relative_to(root) for p, b in {dest: new.encode(), **figs}.items() if not p.exists() or p.read_bytes() != b]
        if stale: sys.exit(f"{', '.join(map(str, stale))} out of step with nbs/index.ipynb: "
                           "run `python tools/sync_readme.py` and commit the result.")
        print(f'README.md and its {len(figs)} figure(s) are in step with nbs/index.ipynb')
    else:
        dest.write_text(new)
        for p, b in figs.items(): p.write_bytes(b)
        print(f"wrote {', '.join(str(p.relative_to(root)) for p in [dest, *figs])}")
