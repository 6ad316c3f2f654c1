import { expect, type Locator, type Page } from '@playwright/test';
import { SANDBOX } from './catalog';
import { newUser, signInViaApi, signUpViaApi } from './users';

// What the editor journeys share: a signed-in user with the sandbox account, steps found by title,
// real mouse drags from the palette and between handles, the mapping picker, and the sandbox's Web API.

export async function signedInWithSandbox(page: Page, baseURL: string, label: string) {
  const user = newUser(label);
  await signUpViaApi(page.request, user);
  await signInViaApi(page.request, user);
  const account = await page.request.post('/api/accounts', {
    headers: { Origin: baseURL },
    data: {
      name: 'Sales sandbox',
      method: 'password',
      serviceUrl: `${baseURL}/sandbox`,
      clientId: SANDBOX.clientId,
      clientSecret: SANDBOX.clientSecret,
      username: SANDBOX.username,
      password: SANDBOX.password,
    },
  });
  expect(account.status(), await account.text()).toBe(201);
}

/** Contacts of the signed-in user's sandbox organization with this last name, read through its Web API. */
export async function sandboxContacts(page: Page, baseURL: string, token: string, lastname: string): Promise<{ emailaddress1: string }[]> {
  const filter = encodeURIComponent(`lastname eq '${lastname}'`);
  const res = await page.request.get(`${baseURL}/sandbox/api/data/v9.2/contacts?$select=emailaddress1&$filter=${filter}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { value: { emailaddress1: string }[] }).value;
}

export async function sandboxToken(page: Page, baseURL: string): Promise<string> {
  const res = await page.request.post(`${baseURL}/sandbox/login/organizations/oauth2/v2.0/token`, {
    form: {
      grant_type: 'password',
      client_id: SANDBOX.clientId,
      client_secret: SANDBOX.clientSecret,
      username: SANDBOX.username,
      password: SANDBOX.password,
      scope: `${baseURL}/sandbox/.default`,
    },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

export const node = (page: Page, title: RegExp | string) => page.getByTestId('step-node').filter({ hasText: title });

/** Drags from one step's output handle to another step's input, with the mouse. */
export async function connectSteps(page: Page, from: Locator, to: Locator, handle = 'next') {
  const source = from.locator(`.react-flow__handle.source[data-handleid="${handle}"]`);
  // A trigger has no input: aim at the step itself then.
  const target = (await to.locator('.react-flow__handle.target').count()) ? to.locator('.react-flow__handle.target') : to;
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Drags a palette item onto the canvas at a share of the canvas' width and height. */
export async function dragFromPalette(page: Page, type: string, fx: number, fy: number) {
  const pane = page.locator('.react-flow__pane');
  const box = (await pane.boundingBox())!;
  await page.locator(`[data-step-type="${type}"]`).dragTo(pane, { targetPosition: { x: box.width * fx, y: box.height * fy } });
}

export async function mapField(page: Page, fieldLabel: string, sourceLabel: string) {
  const inspector = page.getByTestId('inspector');
  await inspector.getByRole('button', { name: `Map a value into ${fieldLabel}` }).click();
  const picker = page.getByTestId('mapping-picker');
  await picker.getByRole('searchbox').fill(sourceLabel);
  await picker
    .getByRole('treeitem', { name: new RegExp(`^${sourceLabel}`) })
    .first()
    .click();
}

/** Creates a flow through the API as the signed-in user; returns its id. */
export async function createFlowViaApi(page: Page, baseURL: string, name: string, document: unknown): Promise<string> {
  const res = await page.request.post('/api/flows', { headers: { Origin: baseURL }, data: { name, document } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { flow: { id: string } }).flow.id;
}

/** The signed-in user's first account id (the sandbox account signedInWithSandbox connected). */
export async function firstAccountId(page: Page): Promise<string> {
  const res = await page.request.get('/api/accounts');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { accounts: { id: string }[] }).accounts[0]!.id;
}
