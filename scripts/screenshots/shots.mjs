// Signs in as the demo users of a running portal (Development) and saves the README's screenshots.
import { chromium } from 'playwright-core';
const base = process.env.BASE ?? 'http://127.0.0.1:5000';
const out = process.env.OUT ?? '../../docs/images';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
async function session(email) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/');
  await page.fill('input[name=Email]', email);
  await page.fill('input[name=Password]', 'Demo-pass-2010!');
  await page.click('button[type=submit]');
  await page.waitForURL(base + '/');
  return page;
}
const board = await session('board@kccsp.local');
await board.screenshot({ path: `${out}/home.png` });
await board.setViewportSize({ width: 1280, height: 760 });
await board.goto(base + '/priorities/serious-acquisitive-crime?year=2009/10&toMonth=1');
await board.waitForTimeout(600);
await board.screenshot({ path: `${out}/priority.png` });
const analyst = await session('analyst@kccsp.local');
await analyst.goto(base + '/imports');
await analyst.screenshot({ path: `${out}/imports.png`, fullPage: true });
await analyst.goto(base + '/categories');
await analyst.screenshot({ path: `${out}/categories.png` });
const officer = await session('officer@kccsp.local');
await officer.goto(base + '/my-actions');
await officer.screenshot({ path: `${out}/my-actions.png` });
// Analytics (needs imported extracts and populations): an XmR chart and a peer comparison, as figures with their tables.
await board.setViewportSize({ width: 1280, height: 900 });
await board.goto(base + '/priorities/serious-acquisitive-crime?year=2011/12&toMonth=9');
for (const [id, file] of [['chart-residential-burglary-spc', 'spc.png'], ['chart-residential-burglary-peer', 'peers.png']]) {
  const figure = board.locator(`figure:has(#${id})`);
  if (await figure.count() === 0) { console.log(`no #${id}: import the extracts and populations first`); continue; }
  await board.waitForSelector(`#${id}[data-chart-drawn=true]`);
  await figure.locator('summary').click();
  await figure.screenshot({ path: `${out}/${file}` });
}
await browser.close();
