// What the page must never do: run a customer's text as HTML, or pretend a refused change
// happened. A plain agent's attempt to take another agent's chat is refused by the server
// (403) and the page shows the refusal and the chat as the server holds it.
import { describe, expect, it } from 'vitest';
import { keyRequest, RUN_BROWSER_SUITES, signIn, waitForText } from '../helpers/browser.ts';
import { inboxSuite } from '../helpers/inbox-world.ts';

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror="window.__xss=2">';

describe.runIf(RUN_BROWSER_SUITES)('safety', () => {
  const suite = inboxSuite();

  it("a customer's HTML is shown as text, never run", async () => {
    const chatId = suite.world.chats['Aiko Tanaka'];
    for (const text of [SCRIPT, IMG]) expect((await keyRequest(suite.server, suite.world.apiKey, 'POST', '/v1/messages', { chat: chatId, text })).status).toBe(200);
    const page = await (await suite.browser.newContext()).newPage();
    await signIn(page, suite.server.baseUrl, suite.world.admin.email);
    await page.goto(`${suite.server.baseUrl}/#/chats/${chatId}`);
    const messages = page.getByRole('list', { name: 'Messages' });
    await waitForText(messages, SCRIPT);
    await waitForText(messages, IMG);
    expect(await messages.getByText(SCRIPT, { exact: true }).isVisible()).toBe(true);
    expect(await messages.getByText(IMG, { exact: true }).isVisible()).toBe(true);
    expect(await messages.locator('img').count()).toBe(0);
    expect(await messages.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it("a plain agent reassigning another agent's chat sees the suite.server's 403 in the page; nothing changes", async () => {
    const chatId = suite.world.chats['Priya Nair']; // Cleo's
    const page = await (await suite.browser.newContext()).newPage();
    await signIn(page, suite.server.baseUrl, suite.world.agent.email);
    await page.goto(`${suite.server.baseUrl}/#/chats/${chatId}`);
    await waitForText(page.getByTestId('assignee'), suite.world.other.name);

    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/chats/assignee') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: /^Assign to me/ }).click();
    const res = await answer;
    expect(res.status()).toBe(403);
    const refusal = ((await res.json()) as { errors: { code: string; message: string }[] }).errors.find((e) => e.code === 'forbidden');
    expect(refusal).toBeDefined();
    await waitForText(page.getByRole('alert'), refusal!.message);
    await waitForText(page.getByTestId('assignee'), suite.world.other.name);

    const chat = await keyRequest(suite.server, suite.world.apiKey, 'GET', `/v1/chats/${chatId}`);
    expect(chat.body.assignee.id).toBe(suite.world.other.id);
  });
});
