// Signing in to the inbox in a real browser: a wrong password is refused in the page, the right
// one shows the chat list, and the whole flow works from the keyboard alone — down to `a`,
// which assigns through the inbox's door (history: source "inbox", assignedBy an agent).
import { describe, expect, it } from 'vitest';
import { chatLink, keyRequest, waitForText, RUN_BROWSER_SUITES, signIn } from '../helpers/browser.ts';
import { inboxSuite } from '../helpers/inbox-world.ts';

describe.runIf(RUN_BROWSER_SUITES)('signing in', () => {
  const suite = inboxSuite();

  it('a wrong password shows the suite.server’s refusal; the right one shows the chat list', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(suite.server.baseUrl + '/');
    await page.getByLabel('Email').fill(suite.world.agent.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(page.getByRole('alert'), 'Email or password is wrong.');
    expect(await page.getByRole('tablist', { name: 'Which chats' }).count()).toBe(0);

    await page.getByLabel('Password').fill(suite.world.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Ben's Mine tab: the chat assigned to him by the seed.
    await chatLink(page, 'Maria Lopez').waitFor({ timeout: 5000 });
    expect(await page.getByRole('tab', { name: 'Mine' }).getAttribute('aria-selected')).toBe('true');

    // A reload keeps the session (GET /v1/inbox/session); signing out ends it.
    await page.reload();
    await chatLink(page, 'Maria Lopez').waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 5000 });
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 5000 });
    await context.close();
  });

  it('keyboard only: sign in, j/k to a chat, `a` assigns it to me through the inbox', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(suite.server.baseUrl + '/');
    // The email field has the focus when the sign-in form appears.
    await page.getByLabel('Email').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('email');
    await page.keyboard.type(suite.world.agent.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(suite.world.password);
    await page.keyboard.press('Enter');
    await page.getByRole('tablist', { name: 'Which chats' }).waitFor({ timeout: 5000 });

    // Tab to the tab list (one tab stop), then → selects "Unassigned".
    for (let i = 0; i < 15 && (await page.evaluate(() => document.activeElement?.getAttribute('role'))) !== 'tab'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Unassigned' }).getAttribute('aria-selected')).toBe('true');
    const first = chatLink(page, 'Lucas Martin'); // most recently updated first
    await first.waitFor({ timeout: 5000 });

    await page.keyboard.press('j'); // the first chat
    await page.keyboard.press('j'); // the second
    await page.keyboard.press('k'); // back to the first
    await page.waitForFunction((id) => window.location.hash === `#/chats/${id}`, suite.world.chats['Lucas Martin'], { timeout: 5000 });
    await page.getByRole('heading', { name: 'Lucas Martin' }).waitFor({ timeout: 5000 });
    expect(await first.getAttribute('aria-current')).toBe('page');

    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/chats/assignee') && r.request().method() === 'PUT');
    await page.keyboard.press('a');
    expect((await answer).status()).toBe(200);
    await waitForText(page.getByTestId('assignee'), 'Ben Agent (you)');

    const history = await keyRequest(suite.server, suite.world.apiKey, 'GET', `/v1/chats/${suite.world.chats['Lucas Martin']}/assignments`);
    const last = history.body.data.at(-1);
    expect(last.source).toBe('inbox');
    expect(last.assignedBy).toEqual({ type: 'agent', id: suite.world.agent.id, name: suite.world.agent.name });
    expect(last.to.id).toBe(suite.world.agent.id);
    await context.close();
  });
});
