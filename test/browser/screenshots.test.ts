// Screenshots of the inbox at a laptop's size (1280×800) and a phone's (390×844), kept in
// test-results/screenshots/ as artifacts. The README's two (list and chat at 1280×800) are
// copied to docs/screenshots/ when missing or with UPDATE_SCREENSHOTS=1, so an ordinary test
// run leaves the repository as it was. Each shot also checks the layout it shows.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatLink, RUN_BROWSER_SUITES, screenshot, signIn } from '../helpers/browser.ts';
import { inboxSuite } from '../helpers/inbox-world.ts';

const DOCS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

function toDocs(from: string, name: string) {
  const to = join(DOCS, name);
  if (existsSync(to) && !process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync(DOCS, { recursive: true });
  copyFileSync(from, to);
}

describe.runIf(RUN_BROWSER_SUITES)('screenshots', () => {
  const suite = inboxSuite();

  it('at 1280×800: list and chat side by side', async () => {
    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(page, suite.server.baseUrl, suite.world.agent.email);
    await page.getByRole('tab', { name: 'All' }).click();
    await chatLink(page, 'Lucas Martin').waitFor();
    const list = await screenshot(page, 'inbox-list-1280x800');
    toDocs(list, 'inbox-list.png');

    await chatLink(page, 'Maria Lopez').click();
    await page.getByRole('heading', { name: 'Maria Lopez' }).waitFor();
    await page.getByText('Private note', { exact: true }).first().waitFor();
    await page.getByRole('list', { name: 'Assignment history' }).waitFor();
    const chat = await screenshot(page, 'inbox-chat-1280x800');
    toDocs(chat, 'inbox-chat.png');
    // Side by side: the list stays visible beside the open chat.
    expect(await page.getByRole('list', { name: 'Chat list' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Back to the list' }).isVisible()).toBe(false);
  });

  it('at 390×844: list and chat stacked, with a back button', async () => {
    const page = await (await suite.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(page, suite.server.baseUrl, suite.world.agent.email);
    await page.getByRole('tab', { name: 'All' }).click();
    await chatLink(page, 'Lucas Martin').waitFor();
    await screenshot(page, 'inbox-list-390x844');

    await chatLink(page, 'Maria Lopez').click();
    await page.getByRole('heading', { name: 'Maria Lopez' }).waitFor();
    await screenshot(page, 'inbox-chat-390x844');
    expect(await page.getByRole('list', { name: 'Chat list' }).isVisible()).toBe(false);
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await chatLink(page, 'Maria Lopez').waitFor();
  });
});
