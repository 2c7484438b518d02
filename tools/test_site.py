"""Test the built docs site in a real browser: `python tools/test_site.py` after `python tools/build_docs.py`.

Serves docs/ on localhost and drives Debian's Chromium with Playwright. Checks that every page loads without a
console error or a failed request, that no internal link or anchor is broken, that every figure loads, that the
API reference lists every exported name of the package, and that search finds a function. Saves screenshots of
the home page and the results page into docs/_screenshots/. Ends with a line 'site: N of M checks passed' (only .ci/run prints a test runner's closing line).
"""
import argparse, functools, http.server, importlib, os, re, socketserver, sys, threading
from pathlib import Path
from urllib.parse import urlsplit, unquote
from playwright.sync_api import sync_playwright, TimeoutError as PlaywrightTimeout
from nbdev.config import get_config
from build_docs import site_url                          # the address nbdev's links to other pages start with

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage']                             # containers (GitHub's included) have a small /dev/shm

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

def serve(folder):
    "Serve `folder` on a free localhost port in a thread; return the server and its base URL"
    srv = socketserver.ThreadingTCPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(folder)))
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

def exported_names(lib=get_config(path=ROOT).lib_name):
    "Every name in the `__all__` of every module of the package, as autodoc's ids: `lib.module.name`"
    mods = sorted(p.stem for p in (ROOT/lib).glob('*.py') if not p.stem.startswith('_'))
    return [f'{lib}.{m}.{n}' for m in mods for n in importlib.import_module(f'{lib}.{m}').__all__]

class Site:
    "Loads each page once, and keeps what the checks need: errors, links, ids and figures"
    def __init__(self, page, base):
        self.page, self.base, self.seen, self.site = page, base, {}, site_url()
        self.errors, self.external = [], []
        page.on('console', lambda m: m.type == 'error' and self.errors.append(f'{page.url}: console: {m.text}'))
        page.on('pageerror', lambda e: self.errors.append(f'{page.url}: script error: {e}'))
        page.on('response', lambda r: r.status >= 400 and self.errors.append(f'{page.url}: HTTP {r.status}: {r.url}'))
        page.on('requestfailed', lambda r: self.errors.append(f'{page.url}: request failed: {r.url} ({r.failure})'))
        page.on('request', lambda r: not r.url.startswith((base, 'data:', 'blob:')) and self.external.append(f'{page.url}: {r.url}'))

    def load(self, url):
        "Visit `url` (no fragment); return its status, ids, internal links and figures"
        if url in self.seen: return self.seen[url]
        if not url.endswith('.html'):                          # a file (an image, a notebook): fetch, don't visit
            self.seen[url] = dict(status=self.page.request.get(url).status, ids=set(), links=[], figures=[])
            return self.seen[url]
        resp = self.page.goto(url, wait_until='load')
        status = resp.status if resp else 0
        if status >= 400 or not (resp and 'html' in resp.headers.get('content-type', '')):
            self.seen[url] = dict(status=status, ids=set(), links=[], figures=[]); return self.seen[url]
        ids = set(self.page.eval_on_selector_all('[id]', 'els => els.map(e => e.id)'))
        ids |= set(self.page.eval_on_selector_all('a[name]', 'els => els.map(e => e.name)'))
        hrefs = self.page.eval_on_selector_all('a[href]', 'els => els.map(e => e.href)')
        figures = self.page.eval_on_selector_all(
            'img', 'els => els.map(e => [e.currentSrc || e.src, e.complete ? e.naturalWidth : 0])')
        self.seen[url] = dict(status=status, ids=ids, links=[h for h in hrefs if h.startswith(self.base)], figures=figures,
                              absolute=[h for h in hrefs if h.startswith(self.site)])
        return self.seen[url]

    def crawl(self):
        "Every page reachable from the home page by internal links"
        todo, pages = [self.base + 'index.html'], []
        while todo:
            url = todo.pop(0)
            if url in pages: continue
            info = self.load(url)
            if info['status'] < 400 and url.endswith('.html'): pages.append(url)
            for h in info['links']:
                u = h.split('#')[0]
                if u.endswith('/'): u += 'index.html'
                if u.endswith('.html') and u not in pages and u not in todo: todo.append(u)
        return pages

def check(name, ok, detail, results):
    ok = bool(ok); results.append(ok)
    print(f"[{'ok' if ok else 'FAILED'}] {name}: {detail}")

def main(site_dir=ROOT/'docs', shots=True):
    site_dir = Path(site_dir)
    if not (site_dir/'index.html').exists():
        sys.exit(f'{site_dir}/index.html not found: build the site first with `python tools/build_docs.py`.')
    chromium = os.environ.get('CHROMIUM', '/usr/bin/chromium')
    if not Path(chromium).exists():
        sys.exit(f'{chromium} not found: install Debian\'s chromium (`apt-get install chromium`), or point CHROMIUM at a Chromium binary.')
    srv, base = serve(site_dir)
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page(viewport=dict(width=1280, height=900))
        site = Site(page, base)
        pages = site.crawl()
        names = [urlsplit(u).path.lstrip('/') for u in pages]
        # one page per notebook, named as nbdev names them (00a_toy.ipynb -> toy.html), and the API reference
        want = {'api.html'} | {re.sub(r'^\d+[a-zA-Z0-9]*_', '', p.stem.lower()) + '.html' for p in (ROOT/'nbs').glob('*.ipynb')}
        check('pages', want <= set(names), f'{len(pages)} pages reached from the home page by its links'
              + (f'; missing {sorted(want - set(names))}' if not want <= set(names) else ''), results)

        links = broken = anchored = 0; bad = []
        for u in pages:
            for h in site.seen[u]['links']:
                links += 1
                target, _, frag = h.partition('#')
                if target.endswith('/'): target += 'index.html'
                info = site.load(target)
                ok = info['status'] < 400 and (not frag or unquote(frag) in info['ids'])
                anchored += bool(frag)
                if not ok: broken += 1; bad.append(f'{u} -> {h} (status {info["status"]})')
        check('internal links', links > 0 and not broken,
              f'{links} internal links ({anchored} to an anchor) on {len(pages)} pages, {broken} broken'
              + ''.join(f'\n    {b}' for b in bad[:20]), results)

        absolute = [f'{u} -> {h}' for u in pages for h in site.seen[u].get('absolute', [])]
        check('relative links', not absolute, f'{len(absolute)} links to the deployed site\'s absolute address {site_url()} '
              '(they would leave a local or preview copy)' + ''.join(f'\n    {x}' for x in absolute[:20]), results)

        figs = [(u, src, w) for u in pages for src, w in site.seen[u]['figures']]
        zero = [f'{u}: {src}' for u, src, w in figs if not w]
        check('figures', figs and not zero, f'{len(figs)} figures on {sum(bool(site.seen[u]["figures"]) for u in pages)} pages, '
              f'{len(zero)} with natural width 0' + ''.join(f'\n    {z}' for z in zero[:20]), results)

        api = site.load(base + 'api.html')['ids']
        names = exported_names()
        missing = [n for n in names if n not in api]
        check('API reference', names and not missing,
              f'{len(names) - len(missing)} of the package\'s {len(names)} exported names documented on api.html'
              + (f'; missing: {missing}' if missing else ''), results)

        if shots:                                              # before the search, which highlights its matches
            out = site_dir/'_screenshots'; out.mkdir(exist_ok=True)
            page.goto(base + 'index.html'); page.screenshot(path=out/'home.png')
            page.goto(base + 'results.html')
            try: page.locator('.cell_output img').first.scroll_into_view_if_needed(timeout=15000)
            except PlaywrightTimeout: check('results figure', False, 'results.html shows no figure to screenshot', results)
            page.screenshot(path=out/'results.png')
            print(f'screenshots: {(out/"home.png").relative_to(ROOT)}, {(out/"results.png").relative_to(ROOT)}')

        page.goto(base + 'index.html')                         # search as a reader does: type a name, press Enter
        page.fill('input[name="q"]', 'make_toy_pets'); page.keyboard.press('Enter')
        try:
            page.wait_for_url('**/search.html?*', timeout=15000)
            page.wait_for_function("document.querySelector('#search-results .search-summary')?.innerText.length > 0",
                                   timeout=30000)      # Sphinx writes the summary when the search has finished
        except PlaywrightTimeout: pass                 # then no results: the check below fails and says so
        hits = page.eval_on_selector_all('#search-results li a', 'els => els.map(e => e.href)')
        top = [h for h in hits if h.endswith('#hierarchical_pets.toy.make_toy_pets')]
        check('search', bool(top), f'"make_toy_pets" gave {len(hits)} results'
              + (f', with the API entry {urlsplit(top[0]).path.lstrip("/")}#{urlsplit(top[0]).fragment} '
                 f'at position {hits.index(top[0]) + 1}' if top else ', none of them the API entry'), results)

        n = len(site.seen) + 1                                 # every page and file loaded, and the search page
        check('no console errors', not site.errors, f'{n} pages loaded, {len(site.errors)} console errors, '
              'script errors, failed or refused requests' + ''.join(f'\n    {e}' for e in site.errors[:20]), results)
        check('self-contained', not site.external, f'{len(site.external)} requests outside the site'
              + ''.join(f'\n    {e}' for e in site.external[:20]), results)

        browser.close()
    srv.shutdown()
    print(f'site: {sum(results)} of {len(results)} checks passed')
    return all(results)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--site', default=str(ROOT/'docs'), help='the built site (default: docs/)')
    ap.add_argument('--no-screenshots', action='store_true', help='skip the screenshots')
    a = ap.parse_args()
    sys.exit(0 if main(a.site, not a.no_screenshots) else 1)
