"""Build the docs site offline into docs/: `python tools/build_docs.py`.

nbdev_docs needs Quarto, which cannot be installed on machines without internet. This runs nbdev's own
notebook processing (`proc_nbs`, the work of `nbdev_proc_nbs`: directives applied, `show_doc` run, hidden cells dropped) and renders
its output with Sphinx, myst-nb and the furo theme. Each page keeps nbdev's name (00_data.ipynb -> data.html,
as on an nbdev_docs site), and an API reference page documents every exported name with autodoc.
"""
import argparse, json, os, re, shutil, subprocess, sys, time
from urllib.parse import urljoin
import yaml
from nbdev.config import get_config
from nbdev.serve import proc_nbs
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC, OUT, DOCTREES = ROOT/'_site', ROOT/'docs', ROOT/'_site_doctrees'
COLAB_BADGE = 'https://colab.research.google.com/assets/colab-badge.svg'
# Quarto cell options that nbdev_proc_nbs leaves for the renderer, as myst-nb's cell tags
TAGS = {('echo', 'false'): 'remove-input', ('output', 'false'): 'remove-output', ('include', 'false'): 'remove-cell'}

def site_url(cfg=None):
    "The published site's address, as nbdev writes it into the links between pages"
    cfg = cfg or get_config(path=ROOT)
    return urljoin(cfg.doc_host + '/', cfg.doc_baseurl).rstrip('/') + '/'

def front_matter(cell):
    "nbdev's raw front-matter cell as a dict (title, description, output-file)"
    return yaml.safe_load(src(cell).strip().strip('-')) or {}

def src(cell): return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']

SD_HEAD = re.compile(r'^(#{2,4}) ([\w.]+)[ \t]*$', re.M)

def unlink_code(md):
    "nbdev links names in show_doc's signatures too, where Markdown shows the link syntax: keep the name alone"
    parts = re.split(r'(^```.*?^```)', md, flags=re.M | re.S)
    return ''.join(re.sub(r'\[(`[^`]+`)\]\([^)]*\)', r'\1', s) if s.startswith('```') else s for s in parts)

def page_md(md, doc_url, anchors):
    "Markdown of a cell or a show_doc output, made to work on this site"
    md = unlink_code(md)
    def link(m):                                                        # nbdev's links to its own pages
        text, page, anchor = m.group(1), m.group(2), m.group(3) or ''
        if page in anchors and (not anchor or anchor[1:] in anchors[page]): return f'[{text}]({page}.html{anchor})'
        return text                                                     # a private name: no page documents it
    md = re.sub(r'\[([^\]]*)\]\(' + re.escape(doc_url) + r'([\w-]+)\.html(#[^)\s]*)?\)', link, md)
    md = md.replace(COLAB_BADGE, 'images/colab-badge.svg')              # the site works offline
    md = re.sub(r'\]\(([^)]+)\)\{[^}]*\}', r'](\1)', md)                # Pandoc link attributes: Quarto only
    return md

def show_doc_md(md):
    "show_doc's heading as an anchor with Quarto's id, so that `data.html#make_toy_pets` works as on nbdev_docs"
    md = re.sub(r'^---\s*$', '', md, flags=re.M)                        # a rule inside an output: CSS draws it
    md = re.sub(r'^\[source\]\(([^)\s]+)\)[ \t]*$', r'<a class="sd-source" href="\1">source</a>', md, flags=re.M)
    return SD_HEAD.sub(lambda m: f'<h{len(m.group(1))} class="show-doc" id="{m.group(2).lower()}">{m.group(2)}</h{len(m.group(1))}>', md)

def is_show_doc(cell): return cell.get('has_sd') or re.search(r'^show_doc\(', src(cell), re.M) is not None

def page_info(nb_path):
    "The page name (nbdev's, from the front matter) and the ids of its show_doc headings"
    nb = json.loads(nb_path.read_text())
    fm = next((front_matter(c) for c in nb['cells'] if c['cell_type'] == 'raw' and src(c).lstrip().startswith('---')), {})
    ids = {m.group(2).lower() for c in nb['cells'] if is_show_doc(c) for o in c.get('outputs', [])
           for m in SD_HEAD.finditer(''.join(o.get('data', {}).get('text/markdown', '')))}
    return Path(fm.get('output-file', nb_path.stem + '.html')).stem, ids

def convert(nb_path, doc_url, anchors):
    "One processed notebook as a page: title from the front matter, Quarto options as myst-nb tags"
    nb = json.loads(nb_path.read_text())
    cells, fm = [], {}
    for c in nb['cells']:
        if c['cell_type'] == 'raw' and src(c).lstrip().startswith('---'):
            fm = front_matter(c); continue
        if c['cell_type'] == 'markdown':
            c['source'] = page_md(src(c), doc_url, anchors)
        if c['cell_type'] == 'code':
            opts = dict(re.findall(r'^#\|\s*([\w-]+):\s*(\S+)\s*$', src(c), re.M))
            tags = [t for (k, v), t in TAGS.items() if opts.get(k, '').lower() == v]
            c['source'] = re.sub(r'^#\|.*\n?', '', src(c), flags=re.M)
            if tags: c.setdefault('metadata', {})['tags'] = tags
            for o in c.get('outputs', []):
                data = o.get('data', {})
                if 'text/markdown' in data:
                    md = page_md(''.join(data['text/markdown']), doc_url, anchors)
                    data['text/markdown'] = show_doc_md(md) if is_show_doc(c) else md
            c.pop('has_sd', None)                                       # nbdev's mark: not in the notebook format
        cells.append(c)
    title = fm.get('title', nb_path.stem)
    head = f"# {title}\n\n{fm['description']}" if fm.get('description') else f"# {title}"
    if not cells or not src(cells[0]).lstrip().startswith('# '):
        cells.insert(0, dict(cell_type='markdown', id='page-title', metadata={}, source=head))
    nb['cells'] = cells
    return nb

def api_page(lib, pages):
    "The API reference: every module's exported names (its `__all__`), documented by autodoc"
    mods = sorted(p.stem for p in (ROOT/lib).glob('*.py') if not p.stem.startswith('_'))
    mods.sort(key=lambda m: pages.index(m) if m in pages else len(pages))
    parts = ['# API reference', '',
             f'Every name that `{lib}` exports, module by module, in the order of the notebooks: '
             'its signature, its docstring, and the documentation of each parameter (nbdev\'s docments). '
             'Each module\'s notebook page shows the same names with their prose, examples and tests.', '']
    for m in mods:
        parts += [f'## `{lib}.{m}`', '', '```{eval-rst}', f'.. automodule:: {lib}.{m}', '```', '']  # autodoc writes reST
    return '\n'.join(parts)

def build():
    cfg = get_config(path=ROOT)
    lib, doc_url = cfg.lib_name, site_url(cfg)
    os.chdir(ROOT)                                                         # nbdev finds settings.ini from here
    for f in sorted((ROOT/'nbs').glob('*.yml')):                           # Quarto's configuration, for nbdev_docs users
        try: yaml.safe_load(f.read_text())
        except yaml.YAMLError as e: sys.exit(f'{f.relative_to(ROOT)} is not valid YAML, so nbdev_docs would fail on it: {e}\n'
                                            'nbdev writes nbdev.yml from settings.ini: check the quotes in its description.')
    t0 = time.time()
    proc_nbs(force=True)    # what nbdev_proc_nbs does, without its first step: trying to install Quarto
    shutil.rmtree(SRC, ignore_errors=True); SRC.mkdir()
    proc = ROOT/'_proc'
    nbs = sorted(proc.glob('*.ipynb'), key=lambda p: (p.stem != 'index', p.stem))
    info = {p: page_info(p) for p in nbs}
    anchors = dict(info.values())
    pages = [name for name, _ in info.values()]
    for p, (name, _) in info.items():
        (SRC/f'{name}.ipynb').write_text(json.dumps(convert(p, doc_url, anchors), indent=1))
    for d in proc.iterdir():                                               # images and other files the notebooks use
        if d.is_dir(): shutil.copytree(d, SRC/d.name)
    (SRC/'images').mkdir(exist_ok=True)
    shutil.copy(ROOT/'tools/sphinx/_static/colab-badge.svg', SRC/'images')
    (SRC/'api.md').write_text(api_page(lib, pages))
    toc = '\n'.join(['```{toctree}', ':hidden:', ':maxdepth: 1', '',
                     *[p for p in pages if p != 'index'], 'api', '```'])
    index = json.loads((SRC/'index.ipynb').read_text())
    index['cells'].append(dict(cell_type='markdown', id='site-toc', metadata={}, source=toc))
    (SRC/'index.ipynb').write_text(json.dumps(index, indent=1))
    OUT.mkdir(exist_ok=True)
    for f in OUT.iterdir():                                                # no page of an earlier build survives
        if f.name != 'README.md': shutil.rmtree(f) if f.is_dir() else f.unlink()
    r = subprocess.run([sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-W', '--keep-going', '-c', ROOT/'tools/sphinx',
                        '-d', DOCTREES, SRC, OUT], cwd=ROOT)
    if r.returncode: sys.exit(f'sphinx-build failed (exit {r.returncode}): it treats warnings as errors, and they are listed '
                              f'above with the file in {SRC.relative_to(ROOT)}/ that raised them. Fix the notebook they come from.')
    shutil.rmtree(ROOT/'jupyter_execute', ignore_errors=True)             # myst-nb's copies of the figures, beside docs/
    (OUT/'.nojekyll').touch()                                              # GitHub Pages: serve _static/ as is
    print(f'docs: {len(pages) + 1} pages ({", ".join(pages)}, api) built into {OUT.relative_to(ROOT)}/ '
          f'in {time.time() - t0:.0f}s')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args()
    build()
