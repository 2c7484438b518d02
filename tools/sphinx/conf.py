# Sphinx configuration of the offline docs site. `python tools/build_docs.py` fills the source folder
# (_site/: nbdev_proc_nbs's notebooks, renamed to nbdev's page names, and the API reference) and runs
# `sphinx-build -c tools/sphinx _site docs`. Quarto users can still run `nbdev_docs` on nbs/_quarto.yml.
from pathlib import Path
from fastcore.docments import docments
from nbdev.config import get_config
from sphinx.ext.autodoc.preserve_defaults import update_default_value

_cfg = get_config(path=Path(__file__).parents[2])     # settings.ini, as nbdev reads it
project, author, copyright = _cfg.lib_name, _cfg.author, _cfg.copyright
release = version = _cfg.version

extensions = ['myst_nb', 'sphinx.ext.autodoc', 'sphinx.ext.viewcode']
nb_execution_mode = 'off'               # the committed outputs are the record: runs on the embedded dataset
nb_merge_streams = True
myst_enable_extensions = ['colon_fence', 'dollarmath']
myst_heading_anchors = 3
myst_all_links_external = True        # links are the site's own .html pages, rewritten by build_docs.py
exclude_patterns = ['_build', '**.ipynb_checkpoints']
suppress_warnings = ['myst.header']     # show_doc's headings sit inside cell outputs, below the page's own

default_role = 'code'                   # docstrings write `name` the Markdown way: show it as code
autodoc_member_order = 'bysource'
autodoc_default_options = {'members': True, 'undoc-members': True, 'show-inheritance': True}
autodoc_typehints = 'signature'
autodoc_preserve_defaults = False       # done by _preserve_defaults below, which survives fastcore's @delegates

html_theme = 'furo'
html_title = project
html_static_path = ['_static']
html_favicon = '_static/favicon.svg'
html_css_files = ['hpets.css']
html_show_sourcelink = False

def _param_docs(app, what, name, obj, options, lines):
    "Add nbdev's docments (the comment beside each parameter) to autodoc's docstring as a field list"
    if what not in ('function', 'method', 'class') or not callable(obj): return
    try: docs = docments(obj, full=True)
    except (TypeError, ValueError, OSError): return   # builtins and C callables have no source to read
    fields = []
    for k, d in docs.items():
        if not d.get('docment'): continue
        doc = ' '.join(d['docment'].split())
        fields.append(f':returns: {doc}' if k == 'return' else f':param {k}: {doc}')
    if fields: lines.extend(['', *fields])

def _preserve_defaults(app, obj, bound_method):
    "Show defaults as written in the source (`arch=resnet18`, not `<function resnet18>`), like autodoc_preserve_defaults"
    try: update_default_value(obj, bound_method)
    except IndexError: pass                # @delegates adds parameters that the source lacks: keep the evaluated defaults

def setup(app):
    app.connect('autodoc-process-docstring', _param_docs)
    app.connect('autodoc-before-process-signature', _preserve_defaults)
