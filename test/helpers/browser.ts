// The browser suites' harness: Debian's Chromium driven by playwright-core (never a browser of
// Playwright's own), a real server listening on a loopback port with a fresh database, and a
// small organization whose agents can sign in. Without /usr/bin/chromium the suites are skipped
// (test/global-setup.ts says so in one line) — except in CI, where they run and fail.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { setAgentPassword } from '../../src/modules/sessions/sessions.service.ts';
import { buildTestApp, type TestApp } from './app.ts';
import { factories } from './factories.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);
/** Run the browser suites: with Chromium here, or in CI, where a missing Chromium must fail. */
export const RUN_BROWSER_SUITES = HAVE_CHROMIUM || Boolean(process.env.CI);
export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

// The flags this machine needs: no sandbox as root, and none of Chromium's own network
// chatter (the machine's closed network refuses it, many connections at a time).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh browser: launch() gives it a new temporary profile (user-data-dir) every time. */
export async function launchBrowser(): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`The browser suites need Debian's Chromium at ${CHROMIUM_PATH} (apt-get install chromium); .ci/run installs it.`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export const PASSWORD = 'correct horse battery staple';

/** Gives an agent a password through the server's own service (docs/inbox.md, "Signing in"). */
export async function giveAgentPassword(t: TestApp, orgId: number, agentId: number, password = PASSWORD): Promise<void> {
  await setAgentPassword(t.database, t.clock, orgId, agentId, password);
}

export interface InboxServer {
  t: TestApp;
  baseUrl: string;
  f: ReturnType<typeof factories>;
  close(): Promise<void>;
}

/** The real app on 127.0.0.1 and a free port, on a fresh database (web/dist: global setup). */
export async function startInboxServer(): Promise<InboxServer> {
  const t = await buildTestApp({ hub: 'in-process' });
  // Real dates, so the page shows times as it would at work (the test clock is fixed otherwise).
  t.clock.set(Math.floor(Date.now() / 1000) - 2 * 3600);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no TCP address');
  return { t, baseUrl: `http://127.0.0.1:${address.port}`, f: factories(t.database, t.clock), close: () => t.close() };
}

/** An integration's request over HTTP: a Bearer API key, no cookie. */
export async function keyRequest(server: InboxServer, apiKey: string, method: string, path: string, body?: unknown) {
  const res = await fetch(server.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${apiKey}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Signs in through the page's form, as a person would, and waits for the chat list. */
export async function signIn(page: Page, baseUrl: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(baseUrl + '/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  const answer = page.waitForResponse((r) => r.url().endsWith('/v1/inbox/session') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const status = (await answer).status();
  if (status !== 200) throw new Error(`POST /v1/inbox/session answered ${status} for ${email} (docs/inbox.md: 200 with the session)`);
  await page.getByRole('tablist', { name: 'Which chats' }).waitFor({ timeout: 10_000 });
}

/** The chat list's entry for a customer (a link in the list named "Chat list"). */
export const chatLink = (page: Page, customerName: string) =>
  page.getByRole('list', { name: 'Chat list' }).getByRole('link', { name: new RegExp(customerName) });

/** Waits (default 5 s) until the locator holds an element containing the text. */
export async function waitForText(locator: Locator, text: string, timeout = 5000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
}
