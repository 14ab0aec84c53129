// Checks of a served kwiki site in Chromium (driven by playwright-core, never a downloaded
// browser): axe-core on the key pages, then a reader's path end to end with screenshots.
// usage: node checks.js BASE_URL SHOT_DIR    e.g. node checks.js http://127.0.0.1:8765/kwiki/ target/e2e
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const base = process.argv[2];
const shots = path.resolve(process.argv[3] || 'target/e2e');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const axePath = require.resolve('axe-core/axe.min.js');

function fail(msg) {
  console.error('e2e: FAIL: ' + msg);
  process.exitCode = 1;
}

async function axe(page, url) {
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res || res.status() !== 200) throw new Error(`${url}: HTTP ${res && res.status()}`);
  if (url.includes('?q=')) await page.waitForSelector('.search-results.page a', { timeout: 5000 });
  await page.addScriptTag({ path: axePath });
  const out = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })), passes: r.passes.length };
  });
  return out;
}

(async () => {
  fs.mkdirSync(shots, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kwiki-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().includes('/missing-on-purpose')) errors.push(`HTTP ${r.status()} ${r.url()}`); });
  try {
    // 1. axe-core on the pages a reader meets first
    const pages = {
      home: '',
      'entity (Rosé)': 'artist/rose/',
      'partnership (Rosé × F1)': 'partnership/rose-x-f1/',
      article: 'article/000_2cac62a80f5ccdd1/',
      search: 'search/?q=Messy',
      timeline: 'timeline/',
      'A-Z (artists)': 'artist/',
    };
    let total = 0;
    for (const [name, rel] of Object.entries(pages)) {
      const r = await axe(page, base + rel);
      total += r.violations.length;
      console.log(`axe: ${name}: ${r.violations.length} violations, ${r.passes} rules passed`);
      for (const v of r.violations) console.log(`  ${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`);
    }
    // dark mode has its own colours: check their contrast too
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [name, rel] of [['home, dark', ''], ['entity (Rosé), dark', 'artist/rose/'], ['search, dark', 'search/?q=Rose']]) {
      const r = await axe(page, base + rel);
      total += r.violations.length;
      console.log(`axe: ${name}: ${r.violations.length} violations, ${r.passes} rules passed`);
      for (const v of r.violations) console.log(`  ${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`);
    }
    await page.goto(base + 'artist/rose/', { waitUntil: 'load' });
    await page.screenshot({ path: path.join(shots, 'rose-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base + 'artist/rose/', { waitUntil: 'load' });
    await page.screenshot({ path: path.join(shots, 'rose-mobile.png'), fullPage: true });
    await page.setViewportSize({ width: 1200, height: 900 });
    if (total > 0) fail(`axe found ${total} violations`);

    // 1b. the graphs fit the screen and no two of their labels overlap, wide and at 390 px
    for (const width of [1200, 390]) {
      await page.setViewportSize({ width, height: 844 });
      for (const rel of ['', 'artist/rose/', 'film/f1/', 'label/netflix/', 'artist/jimin/']) {
        await page.goto(base + rel, { waitUntil: 'load' });
        const r = await page.evaluate(() => {
          const scroll = document.documentElement.scrollWidth - window.innerWidth;
          const boxes = [...document.querySelectorAll('svg.graph text')]
            .map((t) => ({ text: t.textContent, b: t.getBoundingClientRect() }))
            .filter((x) => x.b.width > 0);
          const overlaps = [];
          for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i].b, b = boxes[j].b;
              if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
                overlaps.push(`${boxes[i].text} / ${boxes[j].text}`);
              }
            }
          }
          const svgs = [...document.querySelectorAll('svg.graph')];
          const outside = svgs.filter((s) => s.getBoundingClientRect().right > window.innerWidth + 0.5).length;
          return { scroll, labels: boxes.length, overlaps, svgs: svgs.length, outside };
        });
        const where = `${width} px, /${rel}`;
        console.log(`graph: ${where}: ${r.svgs} drawing(s), ${r.labels} labels, ${r.overlaps.length} overlapping, horizontal scroll ${r.scroll} px`);
        if (r.svgs === 0) fail(`${where}: no graph`);
        if (r.scroll > 0 || r.outside > 0) fail(`${where}: the page scrolls sideways (${r.scroll} px, ${r.outside} drawings past the edge)`);
        if (r.overlaps.length) fail(`${where}: labels overlap: ${r.overlaps.slice(0, 5).join('; ')}`);
      }
      // the drawings themselves, to look at
      for (const [rel, name] of [['', 'home'], ['film/f1/', 'f1']]) {
        await page.goto(base + rel, { waitUntil: 'load' });
        await page.locator('figure.graph').screenshot({ path: path.join(shots, `graph-${name}-${width}.png`) });
      }
      if (width === 390) {
        await page.goto(base, { waitUntil: 'load' });
        await page.screenshot({ path: path.join(shots, 'home-mobile.png'), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1200, height: 900 });

    // 2. a reader's path: home -> search "Messy" -> Messy -> Rosé -> the partnership -> F1
    await page.goto(base, { waitUntil: 'load' });
    await page.screenshot({ path: path.join(shots, 'home.png'), fullPage: true });
    await page.fill('header input[type=search]', 'Messy');
    await page.waitForSelector('.search-results.dropdown:not([hidden]) a', { timeout: 5000 });
    const dropdown = await page.$$eval('.search-results.dropdown a', (as) => as.map((a) => a.textContent));
    console.log(`e2e: instant results for "Messy": ${dropdown.join(' | ')}`);
    await page.press('header input[type=search]', 'Enter');
    await page.waitForURL(/search\/\?q=Messy/, { timeout: 5000 });
    await page.waitForSelector('.search-results.page a', { timeout: 5000 });
    const status = await page.textContent('.search-status');
    console.log(`e2e: search page: ${status}`);
    await page.screenshot({ path: path.join(shots, 'search.png') });
    await page.click('.search-results.page a:text-is("Messy")');
    await page.waitForURL(/song\/messy\/$/, { timeout: 5000 });
    await page.click('main a:text-is("Rosé")');
    await page.waitForURL(/artist\/rose\/$/, { timeout: 5000 });
    const h1 = await page.textContent('h1');
    if (h1.trim() !== 'Rosé') fail(`Rosé's page has h1 ${JSON.stringify(h1)}`);
    await page.screenshot({ path: path.join(shots, 'rose.png'), fullPage: true });
    const inGraph = await page.$$eval('svg.graph a.node', (as) => as.length);
    console.log(`e2e: Rosé's page graph has ${inGraph} linked nodes`);
    await page.click('ul.partnerships a[href$="partnership/rose-x-f1/"]');
    await page.waitForURL(/partnership\/rose-x-f1\/$/, { timeout: 5000 });
    const shot = path.join(shots, 'rose-f1.png');
    await page.screenshot({ path: shot, fullPage: true });
    await page.click('.infobox a:text-is("F1")');
    await page.waitForURL(/film\/f1\/$/, { timeout: 5000 });
    const f1 = (await page.textContent('h1')).trim();
    if (f1 !== 'F1') fail(`F1's page has h1 ${JSON.stringify(f1)}`);
    console.log(`e2e: home -> search "Messy" -> Messy -> Rosé -> Rosé × F1 -> ${f1}: ok`);
    console.log(`e2e: screenshot ${shot}`);
    // 3. an alias URL lands on its entity; search for an alias finds it
    await page.goto(base + 'search/?q=Rose', { waitUntil: 'load' });
    await page.waitForSelector('.search-results.page a', { timeout: 5000 });
    const first = await page.textContent('.search-results.page a');
    if (first.trim() !== 'Rosé') fail(`first result for "Rose" is ${JSON.stringify(first)}`);
    else console.log('e2e: search "Rose" -> Rosé first: ok');
  } catch (e) {
    fail(e.stack || String(e));
  } finally {
    if (errors.length) fail('page errors: ' + errors.join('; '));
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})();
