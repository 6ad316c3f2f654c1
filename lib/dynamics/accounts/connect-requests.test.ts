import { describe, expect, it } from 'vitest';
import { createAccountSchema, oauthStartSchema, updateAccountSchema } from './connect-requests';

const password = { method: 'password', serviceUrl: 'https://contoso.crm.dynamics.com' };

describe('account names', () => {
  const refused: [string, string][] = [
    ['a control character (NUL)', 'Sales\u0000'],
    ['a control character (escape)', '\u001b[31mSales'],
    ['a tab inside', 'Sales\tEU'],
    ['a newline inside', 'Sales\nEU'],
    ['a right-to-left override (U+202E)', 'Sales \u202Egnp.exe'],
    ['a left-to-right embedding (U+202A)', '\u202ASales'],
    ['a right-to-left isolate (U+2067)', 'Sales \u2067EU'],
    ['a zero-width space (U+200B)', 'Sa\u200Bles'],
    ['a zero-width joiner (U+200D)', 'Sa\u200Dles'],
    ['a byte-order mark (U+FEFF)', 'Sa\uFEFFles'],
    ['a word joiner (U+2060)', 'Sa\u2060les'],
    ['a line separator (U+2028)', 'Sales\u2028EU'],
    ['only a zero-width space', '\u200B'],
  ];

  it.each(refused)('refuses %s on connect, rename and Microsoft sign-in', (_what, name) => {
    expect(createAccountSchema.safeParse({ ...password, name }).success).toBe(false);
    expect(updateAccountSchema.safeParse({ name }).success).toBe(false);
    expect(oauthStartSchema.safeParse({ name }).success).toBe(false);
  });

  it('says why in plain words', () => {
    const result = updateAccountSchema.safeParse({ name: 'Sales \u202Egnp.exe' });
    expect(JSON.stringify(result.error?.issues)).toContain('control and invisible formatting characters are not allowed');
  });

  it('accepts ordinary names in any script, trimmed and in composed form', () => {
    for (const name of ['Contoso production', 'Équipe Nord', 'مبيعات', '営業部 (東京)', 'Sales – EU #2', 'Ventas 🚀']) {
      expect(updateAccountSchema.parse({ name }), name).toEqual({ name });
    }
    expect(updateAccountSchema.parse({ name: '  Sales  ' })).toEqual({ name: 'Sales' });
    expect(updateAccountSchema.parse({ name: 'Cafe\u0301' })).toEqual({ name: 'Caf\u00e9' });
    expect(createAccountSchema.parse({ ...password, name: 'Cafe\u0301' })).toMatchObject({ name: 'Caf\u00e9' });
  });

  it('still refuses empty and overlong names', () => {
    expect(updateAccountSchema.safeParse({ name: '   ' }).success).toBe(false);
    expect(updateAccountSchema.safeParse({ name: 'x'.repeat(81) }).success).toBe(false);
  });
});

describe('which sandbox organization', () => {
  const sandbox = { method: 'password', useSandbox: true };

  it('accepts the first and the second, on connect, credential updates and Microsoft sign-in; left out means none named', () => {
    for (const sandboxOrganization of ['first', 'second'] as const) {
      expect(createAccountSchema.parse({ ...sandbox, sandboxOrganization })).toMatchObject({ sandboxOrganization });
      expect(updateAccountSchema.parse({ credentials: { ...sandbox, sandboxOrganization } })).toMatchObject({
        credentials: { sandboxOrganization },
      });
      expect(oauthStartSchema.parse({ useSandbox: true, sandboxOrganization })).toMatchObject({ sandboxOrganization });
    }
    // resolveConnection reads a missing one as the first (account-service.integration.test.ts).
    expect(createAccountSchema.parse(sandbox)).not.toHaveProperty('sandboxOrganization');
  });

  it('refuses any other value in plain words', () => {
    for (const sandboxOrganization of ['third', 'org2', '', 2, true]) {
      const result = createAccountSchema.safeParse({ ...sandbox, sandboxOrganization });
      expect(result.success, String(sandboxOrganization)).toBe(false);
    }
    const result = oauthStartSchema.safeParse({ useSandbox: true, sandboxOrganization: 'third' });
    expect(JSON.stringify(result.error?.issues)).toContain('Choose the first or the second sandbox organization.');
  });
});
