// tests/browser/review.mjs: `ieum review` in real headless Chromium (Debian's chromium, driven by
// puppeteer-core from tests/browser/node_modules, installed by `npm ci` there).
//
// Usage: node review.mjs IEUM OUT_DIR
// Aligns tests/browser/data (a Korean news article and its English translation, written for this
// test, where the aligner pairs one Korean sentence with the wrong English one) into a TM in a
// scratch folder, starts `ieum review --no-browser` on it, and in the browser: opens the document
// from the documents page with the keyboard, checks that it opens on the first doubtful row and
// that `n` goes to the next doubtful one, fixes the wrong pair with keys alone (move the English
// sentence up, mark the intruder as having no counterpart), merges two beads, confirms one, undoes
// and redoes, reloads and finds every change again, then finds them in the TM (python3's sqlite3)
// and in the TMX `ieum tm export` writes (props x-review-status ...; --reviewed-only).  Takes a
// screenshot of the document page into OUT_DIR/review-document.png (as opened: review-doubtful.png;
// the documents page: review-documents.png) for a person to look at.  Prints TAP; skips when puppeteer-core or
// chromium is missing.  Nothing is written outside the scratch folder and OUT_DIR.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [ieum, outDir] = process.argv.slice(2);
let n = 0, failed = 0;
function ok(cond, what) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
  return cond;
}
function is(got, want, what) {
  const c = ok(JSON.stringify(got) === JSON.stringify(want), what);
  if (!c) console.log(`#   got: ${JSON.stringify(got)}\n#   expected: ${JSON.stringify(want)}`);
  return c;
}
function skip(why) {
  console.log(`1..0 # SKIP ${why}`);
  process.exit(0);
}

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
if (!chromium) skip('no chromium (apt-get install chromium)');
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch {
  skip('no puppeteer-core (npm ci in tests/browser)');
}
if (!ieum || !outDir) {
  console.error('usage: node review.mjs IEUM OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ieum-browser-'));
const db = path.join(tmp, 'news.db');
execFileSync(ieum, ['align', '--tm', db, path.join(here, 'data', 'ko.txt'), path.join(here, 'data', 'en.txt')],
             { stdio: ['ignore', 'ignore', 'inherit'] });

function sql(query) {
  const py = 'import sqlite3, sys, json\n' +
             'c = sqlite3.connect(sys.argv[1])\n' +
             'print(json.dumps(c.execute(sys.argv[2]).fetchall()))';
  return JSON.parse(execFileSync('python3', ['-c', py, db, query], { encoding: 'utf-8' }));
}

const server = spawn(ieum, ['review', '--tm', db, '--no-browser', '--user', 'tester', '--threshold', '0.85'],
                     { stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
server.stderr.on('data', (d) => { stderr += d; });
process.on('exit', () => { if (server.exitCode === null) server.kill('SIGKILL'); }); /* also when a step throws */
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)\n/.exec(out);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`ieum review exited with ${code}: ${stderr}`)));
  setTimeout(() => reject(new Error('no URL printed within 10 s')), 10000);
});
ok(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/.test(url), 'the URL is on 127.0.0.1 with a 32-digit token');

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  protocolTimeout: 60000,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage', `--user-data-dir=${path.join(tmp, 'profile')}`],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 960, deviceScaleFactor: 1 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  const probe = await browser.newPage(); /* a tab of its own: its 401 is no error of the app's page */
  const refused = await probe.goto(url.replace(/\?token=.*/, ''));
  is(refused.status(), 401, 'the page without its token: 401');
  await probe.close();

  await page.goto(url);
  await page.waitForSelector('#doc-rows tr');
  is(await page.$$eval('#doc-rows tr', (t) => t.length), 1, 'the documents page lists the pair');
  await page.screenshot({ path: path.join(outDir, 'review-documents.png') });

  const rowsState = () => page.$$eval('#rows tr', (trs) => trs.map((tr) => ({
    cls: tr.className,
    doubt: !!tr.querySelector('.badge.doubt'), /* a unit under the threshold, or an unaligned sentence */
    src: [...tr.children[1].querySelectorAll('.seg')].map((s) => s.textContent),
    tgt: [...tr.children[2].querySelectorAll('.seg')].map((s) => s.textContent),
  })));
  const curIndex = () => page.$$eval('#rows tr', (trs) => trs.findIndex((tr) => tr.classList.contains('cur')));
  // Waits for the answer of the operation a key starts, then for the page to redraw.
  // Waits for the answer of the operation a key starts, then for the page to redraw from it (the
  // page counts its redraws in body[data-draws]; an error answer redraws nothing: its toast shows).
  async function key(k, opts) {
    const draws = await page.evaluate(() => Number(document.body.dataset.draws) || 0);
    const waitAnswer = page.waitForResponse((r) => r.url().includes('/api/documents/') && r.request().method() === 'POST');
    await page.keyboard.press(k, opts);
    const r = await waitAnswer;
    if (r.ok())
      await page.waitForFunction((d) => (Number(document.body.dataset.draws) || 0) > d, {}, draws);
    else
      await page.waitForFunction(() => document.getElementById('toast').classList.contains('err'));
    return r.status();
  }

  await page.keyboard.press('Enter');
  await page.waitForSelector('#rows tr');
  let rows = await rowsState();
  is(rows.length, 9, 'Enter opens the document: 9 rows side by side (one an unaligned sentence)');
  ok(rows[0].src[0].startsWith('부산시, 해운대에') && rows[0].tgt[0].startsWith('Busan to put'),
     'the headline pair comes first, Korean beside English');
  const doubtful = rows.map((r, i) => (r.doubt ? i : -1)).filter((i) => i >= 0);
  ok(doubtful.length >= 2 && doubtful.some((i) => rows[i].cls.includes('low')),
     `rows under the threshold are colored and marked as doubtful, unaligned ones marked too (${doubtful.join(', ')})`);
  is(await curIndex(), doubtful[0], 'the page opens on the first doubtful row');
  await page.screenshot({ path: path.join(outDir, 'review-doubtful.png') });
  const wrong = rows.findIndex((r) => r.src[0] && r.src[0].startsWith('시민들은'));
  ok(wrong >= 0 && rows[wrong].tgt[0].startsWith('The buses produce'), 'the aligner paired 시민들은 with the wrong sentence');

  // Keyboard navigation: from the top, n goes to the next doubtful row.
  await page.click('#rows tr:first-child td.meta');
  is(await curIndex(), 0, 'a click selects the first row');
  await page.keyboard.press('n');
  is(await curIndex(), doubtful[0], 'n goes to the next doubtful row');
  await page.keyboard.press('N');
  is(await curIndex(), doubtful[doubtful.length - 1], 'N wraps round to the previous doubtful one');

  // Fix the wrong pair with keys alone: the aligner left its translation unaligned just below it.
  ok(rows[wrong + 1].cls.includes('unal') && rows[wrong + 1].tgt[0] === 'Residents have largely welcomed the move.',
     'its translation stands unaligned in the next row');
  while (await curIndex() < wrong + 1) await page.keyboard.press('j');
  await page.keyboard.press('l');
  is(await key('u'), 200, 'u moves the English sentence of the next row up');
  rows = await rowsState();
  is(rows[wrong].tgt, ['The buses produce no exhaust other than water vapor.', 'Residents have largely welcomed the move.'],
     'it joined the row above');
  while (await curIndex() > wrong) await page.keyboard.press('k');
  await page.keyboard.press('l');
  is(await key('x'), 200, 'x marks the selected English sentence as having no counterpart');
  rows = await rowsState();
  ok(rows[wrong].cls.includes('unal') && rows[wrong].tgt[0].startsWith('The buses produce'),
     'it stands alone, as an unaligned sentence');
  ok(rows[wrong + 1].src[0].startsWith('시민들은') && rows[wrong + 1].tgt[0] === 'Residents have largely welcomed the move.',
     '시민들은 now pairs with its translation');
  ok(rows[wrong + 2].src[0].startsWith('한 주민은') && rows[wrong + 2].tgt.length === 1, 'and the next row is 1-1');

  // Merge two beads, confirm one.
  await page.click('#rows tr:nth-child(3) td.meta');
  is(await key('m'), 200, 'm merges the third row into the second');
  rows = await rowsState();
  is(rows.length, 8, 'one row fewer');
  is(rows[1].src.length + rows[1].tgt.length, 4, 'the second row holds both beads: 2-2');
  await page.click('#rows tr:first-child td.meta');
  is(await key('c'), 200, 'c confirms the headline pair');
  rows = await rowsState();
  ok(rows[0].cls.includes('done'), 'shown as reviewed');

  // Undo and redo.
  is(await key('z'), 200, 'z undoes the confirmation');
  ok(!(await rowsState())[0].cls.includes('done'), 'no longer reviewed');
  is(await key('Z'), 200, 'Z redoes it');
  ok((await rowsState())[0].cls.includes('done'), 'reviewed again');

  // Reload: everything is in the TM.
  await page.reload();
  await page.waitForSelector('#rows tr');
  const after = await rowsState();
  is(after.map((r) => r.src.concat(r.tgt)), rows.map((r) => r.src.concat(r.tgt)), 'a reload shows the same rows');
  const alone = after.findIndex((r) => r.tgt[0] === 'The buses produce no exhaust other than water vapor.');
  ok(after[0].cls.includes('done') && alone >= 0 && after[alone].cls.includes('unal'), 'with their states');
  ok(errors.length === 0, `no script errors (${errors.join('; ')})`);

  // A second tab on the same document: each sees the other's changes with its next answer.
  const tab = await browser.newPage();
  await tab.goto(url + '#doc=1');
  await tab.waitForSelector('#rows tr');
  const last = after.length; /* the last row, 1-1; the one above it was edited by the fix already */
  await tab.click(`#rows tr:nth-child(${last}) td.meta`);
  const confirmed = tab.waitForResponse((r) => r.url().includes('/ops') && r.request().method() === 'POST');
  await tab.keyboard.press('c');
  is((await confirmed).status(), 200, 'a second tab confirms the last row');
  await page.bringToFront();
  await page.click(`#rows tr:nth-child(${last - 1}) td.meta`);
  is(await key('c'), 200, 'the first tab confirms the row above it');
  const both = await rowsState();
  ok(both[last - 1].cls.includes('done') && both[last - 2].cls.includes('done'), 'and shows both confirmations');
  await tab.close();
  await page.bringToFront();

  // Keep the screenshot on the corrected rows.
  await page.click(`#rows tr:nth-child(${alone + 2}) td.meta`);
  await page.screenshot({ path: path.join(outDir, 'review-document.png'), fullPage: false });
  ok(fs.statSync(path.join(outDir, 'review-document.png')).size > 20000, 'a screenshot of the document page');
} finally {
  await browser.close();
}
server.kill('SIGTERM');
const code = await new Promise((r) => server.on('exit', (c, sig) => r(c === null ? sig : c)));
is(code, 0, 'ieum review stops cleanly on SIGTERM (exit 0)');

is(sql("SELECT review_status, reviewer FROM units WHERE position = 0"), [['confirmed', 'tester']],
   'the TM holds the confirmation and the reviewer');
is(sql("SELECT count(*) FROM units WHERE bead = '2-2' AND review_status = 'edited'"), [[1]], 'and the merged 2-2 unit');
is(sql("SELECT text, no_counterpart FROM unaligned WHERE side = 1"),
   [['The buses produce no exhaust other than water vapor.', 1]], 'and the sentence without counterpart');
is(sql("SELECT count(*) FROM units WHERE src LIKE '시민들은%' AND tgt = 'Residents have largely welcomed the move.'"), [[1]],
   'and the corrected pair');
const tmx = path.join(tmp, 'out.tmx');
execFileSync(ieum, ['tm', 'export', '--tm', db, '-o', tmx]);
const text = fs.readFileSync(tmx, 'utf-8');
ok(text.includes('<prop type="x-review-status">confirmed</prop>') && text.includes('<prop type="x-reviewer">tester</prop>'),
   'the exported TMX carries the review as props');
ok(/<prop type="x-reviewed">\d{8}T\d{6}Z<\/prop>/.test(text), 'with the time');
ok(text.includes('Residents have largely welcomed the move.') && !text.includes('The buses produce no exhaust'),
   'the corrected pair is exported, the sentence without counterpart is not');
const reviewed = path.join(tmp, 'reviewed.tmx');
execFileSync(ieum, ['tm', 'export', '--tm', db, '--reviewed-only', '-o', reviewed], { stdio: ['ignore', 'ignore', 'ignore'] });
const [[nReviewed]] = sql("SELECT count(*) FROM units WHERE review_status IS NOT NULL");
ok(nReviewed >= 4, `units reviewed: the fixed pair, the 2-2, the headline, the last row from a second tab (${nReviewed})`);
is((fs.readFileSync(reviewed, 'utf-8').match(/<tu[ >]/g) || []).length, nReviewed, '--reviewed-only exports the units reviewed, no others');
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
