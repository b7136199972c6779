// The assignment history as an agent reads it: who moved the chat, through which door and why —
// and for routing's own moves, how it chose: every candidate with load, capacity and why it was
// left out, readably, not as JSON.
import { describe, expect, it } from 'vitest';
import { keyRequest, RUN_BROWSER_SUITES, screenshot, signIn } from '../helpers/browser.ts';
import { inboxSuite } from '../helpers/inbox-world.ts';

describe.runIf(RUN_BROWSER_SUITES)('assignment history', () => {
  const suite = inboxSuite();

  it("a routed chat's history shows routing's reason and the candidates it weighed", async () => {
    const { server, world } = suite;
    const call = (method: string, path: string, body?: unknown) => keyRequest(server, world.apiKey, method, path, body);
    // The chat is Support's: Ada (online) and Ben (away) are its agents — routing takes Ada.
    expect((await call('PUT', '/v1/organization/routing', { strategy: 'least_busy', onlineOnly: true })).status).toBe(200);
    const chatId = world.chats['Lucas Martin'];
    const routed = await call('POST', `/v1/chats/${chatId}/route`, {});
    expect(routed.status).toBe(200);
    expect(routed.body.chat.assignee?.id).toBe(world.admin.id);
    expect((await call('PUT', '/v1/organization/routing', { strategy: 'manual' })).status).toBe(200);

    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(page, server.baseUrl, world.admin.email);
    await page.goto(`${server.baseUrl}/#/chats/${chatId}`);
    const history = page.getByRole('list', { name: 'Assignment history' });
    await history.getByText('via routing', { exact: false }).waitFor({ timeout: 5000 });
    await history.getByText('How routing chose').click();
    const rows = history.getByRole('row');
    await rows.filter({ hasText: 'Ada Admin' }).filter({ hasText: 'winner' }).waitFor({ timeout: 2000 });
    expect(await rows.filter({ hasText: 'Ben Agent' }).innerText()).toMatch(/away/i);
    expect(await history.innerText()).not.toContain('{'); // readable, not JSON
    await screenshot(page, 'inbox-history-routed-1280x800');
  });
});
