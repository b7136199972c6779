// Live updates in real browsers: what one agent does, or an integration does through the API,
// shows in another agent's already-open page within 2 s — measured from the change's answer,
// with no reload.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chatLink, keyRequest, RUN_BROWSER_SUITES, signIn, waitForText } from '../helpers/browser.ts';
import { inboxSuite } from '../helpers/inbox-world.ts';

const LIVE_MS = 2000;

describe.runIf(RUN_BROWSER_SUITES)('live updates', () => {
  const suite = inboxSuite();

  async function pageOf(email: string): Promise<Page> {
    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(page, suite.server.baseUrl, email);
    await page.locator('.live-live').waitFor({ timeout: 5000 }); // its stream is open
    return page;
  }

  it("an admin assigns a chat to an agent in her page; the agent's open page shows it in Mine within 2 s", async () => {
    const ben = await pageOf(suite.world.agent.email); // on Mine
    expect(await chatLink(ben, 'Jonas Weber').count()).toBe(0);
    const ada = await pageOf(suite.world.admin.email);
    await ada.goto(`${suite.server.baseUrl}/#/chats/${suite.world.chats['Jonas Weber']}`);
    await ada.getByRole('heading', { name: 'Jonas Weber' }).waitFor({ timeout: 5000 });

    const answer = ada.waitForResponse((r) => r.url().endsWith('/v1/chats/assignee') && r.request().method() === 'PUT');
    await ada.getByRole('button', { name: /^Assign to Ben Agent/ }).click();
    expect((await answer).status()).toBe(200);
    const answeredAt = Date.now();
    await chatLink(ben, 'Jonas Weber').waitFor({ timeout: LIVE_MS });
    console.log(`live: the assignment showed in the other page ${Date.now() - answeredAt} ms after its answer`);
    await waitForText(ada.getByTestId('assignee'), 'Ben Agent', 1000);
  });

  it('a chat assigned through the API (Bearer key) appears live in an open page within 2 s, with its history', async () => {
    const ben = await pageOf(suite.world.agent.email);
    const chatId = suite.world.chats['Tom Becker'];
    await ben.getByRole('tab', { name: 'Unassigned' }).click();
    await chatLink(ben, 'Tom Becker').click();
    await ben.getByRole('heading', { name: 'Tom Becker' }).waitFor({ timeout: 5000 });
    await ben.getByRole('tab', { name: 'Mine' }).click();
    await ben.getByRole('list', { name: 'Chat list' }).waitFor();
    expect(await chatLink(ben, 'Tom Becker').count()).toBe(0);

    const res = await keyRequest(suite.server, suite.world.apiKey, 'PUT', '/v1/chats/assignee', { id: chatId, assignee: suite.world.agent.id });
    expect(res.status).toBe(200);
    const answeredAt = Date.now();
    await chatLink(ben, 'Tom Becker').waitFor({ timeout: LIVE_MS });
    const left = Math.max(1, LIVE_MS - (Date.now() - answeredAt));
    await waitForText(ben.getByTestId('assignee'), 'Ben Agent (you)', left);
    await waitForText(ben.getByRole('list', { name: 'Assignment history' }), 'via API', Math.max(1, LIVE_MS - (Date.now() - answeredAt)));
    console.log(`live: the API assignment showed ${Date.now() - answeredAt} ms after its answer`);
  });
});
