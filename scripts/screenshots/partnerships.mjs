// Screenshots of a second partnership beside K&C (docs/partnerships.md): a member of both signs in to a running portal
// with Maidstone's plan and Kent's police.uk rows loaded (README, "Several partnerships in one portal").
// EMAIL and PASSWORD name that member; behind no proxy, the header says the request came over HTTPS.
import { chromium } from 'playwright-core';
const base = process.env.BASE ?? 'http://127.0.0.1:5000';
const out = process.env.OUT ?? '../../docs/images';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { 'X-Forwarded-Proto': 'https' } });
await page.goto(base + '/sign-in');
await page.fill('input[name=Email]', process.env.EMAIL);
await page.fill('input[name=Password]', process.env.PASSWORD);
await page.click('button[type=submit]');
await page.waitForURL(base + '/');
await page.goto(base + '/plans');
await page.screenshot({ path: `${out}/partnerships.png` });
await page.goto(base + '/?plan=maidstone-2022-2025');
await page.screenshot({ path: `${out}/maidstone-home.png` });
await page.goto(base + '/priorities/safe-town-centre?plan=maidstone-2022-2025');
await page.screenshot({ path: `${out}/maidstone-priority.png` });
await browser.close();
